"""A small table for a notebook's worked examples, without pandas."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from .html import esc


class Table:
    """A small table for a notebook's worked examples, without pandas (which would cost every
    visitor's kernel about 0.5 s and 40 MiB). Shows as HTML in Voilà and Jupyter, and as aligned
    text where there is no HTML (and in the saved ``text/plain`` output nbval compares)."""

    def __init__(self, header: Sequence[str], rows: Iterable[Sequence[object]], numeric=()):
        self.header = tuple(str(h) for h in header)
        self.rows = tuple(tuple("" if v is None else str(v) for v in row) for row in rows)
        self.numeric = frozenset(numeric)  # column indexes aligned right
        if any(len(row) != len(self.header) for row in self.rows):
            raise ValueError("每一行的列数必须和表头相同。")

    def _repr_html_(self) -> str:
        def cell(tag: str, i: int, value: str) -> str:
            # inline alignment: Jupyter's own table style (all cells right-aligned) outranks ours
            kind = ' class="num" style="text-align:right"' if i in self.numeric else (
                ' style="text-align:left"'
            )
            return f"<{tag}{kind}>{esc(value)}</{tag}>"

        head = "".join(cell("th", i, h) for i, h in enumerate(self.header))
        body = "".join(
            "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        return (
            f'<div class="yb-scroll"><table class="yb-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        lines = (self.header, *self.rows)
        widths = [max(_text_width(line[i]) for line in lines) for i in range(len(self.header))]

        def pad(i: int, value: str) -> str:
            gap = " " * (widths[i] - _text_width(value))
            return gap + value if i in self.numeric else value + gap

        return "\n".join("  ".join(pad(i, v) for i, v in enumerate(line)).rstrip() for line in lines)


def _text_width(text: str) -> int:
    """Columns a text takes in a monospaced font: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
