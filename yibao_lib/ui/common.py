"""Building blocks every app uses: page style, inputs, result cards, badges, errors, links, charts.

Conventions (tests rely on them):

* the app's root widget carries ``yb-app``; the region input ``yb-input-region``; the age input
  ``yb-input-age``; the main result area ``yb-result``; charts ``yb-chart``; the copy-link box
  ``yb-share``; error boxes inside the result carry ``yb-error``.
* every callback goes through :func:`guarded`, so a visitor sees a Chinese message and never a
  traceback or a wrong number — a library error shows its own message, anything else a generic
  apology (the details go to the server log).
"""

from __future__ import annotations

import asyncio
import functools
import html
import io
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import parse_qs, urlencode

import ipywidgets as widgets

from ..errors import YibaoError
from ..model import CONFIDENCE_COLORS, CONFIDENCE_LABELS, Source
from ..regions import all_regions
from ..regions import label as region_label

log = logging.getLogger("yibao.ui")

DISCLAIMER = "本工具依据公开资料整理，仅供参考，具体以当地医保部门规定为准。"
GENERIC_ERROR = "出错了，请检查输入后重试；如果问题持续，请刷新页面。"

CSS = """
<style>
.yb-app { max-width: 760px; margin: 0 auto; font-size: 16px; line-height: 1.6; box-sizing: border-box; }
.yb-app * { box-sizing: border-box; }
.yb-app .widget-text, .yb-app .widget-dropdown, .yb-app .widget-combobox, .yb-app .widget-datepicker,
.yb-app .widget-select, .yb-app .widget-textarea, .yb-app .widget-inline-hbox { width: 100% !important; max-width: 100%; }
.yb-app .widget-label { min-width: 7em; }
.yb-app input, .yb-app select { font-size: 16px !important; min-height: 40px; }
.yb-app .widget-button { min-height: 40px; font-size: 15px; }
.yb-app .widget-html, .yb-app .widget-html-content { width: 100%; max-width: 100%; overflow-wrap: anywhere; }
.yb-app .widget-html-content { line-height: 1.6; }
.yb-card { border: 1px solid #d0d7de; border-radius: 10px; padding: 14px 16px; margin: 8px 0; background: #fff; }
.yb-big { font-size: 2em; font-weight: 700; color: #0b5394; line-height: 1.2; }
.yb-sub { color: #555; }
.yb-steps { margin: 6px 0 6px 1.2em; padding: 0; }
.yb-badge { display: inline-block; border-radius: 999px; padding: 0 10px; font-size: 13px; color: #fff; white-space: nowrap; }
""" + "".join(f".yb-badge-{level} {{ background: {color}; }}\n" for level, color in CONFIDENCE_COLORS.items()) + """.yb-notice { border-left: 4px solid #d4a72c; background: #fff8c5; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-error { border-left: 4px solid #cf222e; background: #ffebe9; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-ok { border-left: 4px solid #1a7f37; background: #dafbe1; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-sources { font-size: 14px; color: #444; margin: 4px 0 0 1.2em; padding: 0; }
.yb-chart { width: 100%; max-width: 100%; }
.yb-chart svg, .yb-chart img { width: 100% !important; height: auto !important; }
.yb-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.yb-table th, .yb-table td { border-bottom: 1px solid #eee; padding: 4px 6px; text-align: left; }
.yb-table td.num, .yb-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.yb-scroll { max-width: 100%; overflow-x: auto; }
.yb-share input { font-size: 14px; }
@media (max-width: 480px) { .yb-app { font-size: 15px; } .yb-big { font-size: 1.7em; } .yb-app .widget-label { min-width: 5.5em; } }
</style>
"""


def esc(text: object) -> str:
    """HTML-escaped text; lone surrogates (which cannot be sent to the page) become "?"."""
    return html.escape(str(text).encode("utf-8", "replace").decode("utf-8"))


def style() -> widgets.HTML:
    """The shared CSS, as a widget to put first in an app."""
    return widgets.HTML(CSS)


def app_box(children: Iterable[widgets.Widget]) -> widgets.VBox:
    box = widgets.VBox([style(), *children], layout=widgets.Layout(width="100%"))
    box.add_class("yb-app")
    return box


# ---- inputs ---------------------------------------------------------------------------------


@functools.cache
def region_options(levels: tuple[str, ...] = ("province", "city", "county")) -> tuple[str, ...]:
    """Names offered by the region input: provinces, then prefecture-level divisions, then
    counties and districts, each in code order. A county-level name shows its parent
    (朝阳区（北京市）, 昆山市（苏州市）): many are shared, and the input accepts that form."""
    regions = [r for r in all_regions() if r.level in levels]
    order = {level: i for i, level in enumerate(("province", "city", "county"))}
    regions.sort(key=lambda r: (order[r.level], r.code))
    return tuple(r.name if r.level != "county" else region_label(r) for r in regions)


def region_input(value: str = "", description: str = "地区") -> widgets.Combobox:
    """Type-to-search over every region (name, code or alias typed freely is also accepted)."""
    box = widgets.Combobox(
        value=value,
        options=region_options(),
        ensure_option=False,
        placeholder="输入省或城市，如 深圳、北京",
        description=description,
        continuous_update=False,
        layout=widgets.Layout(width="100%"),
    )
    box.add_class("yb-input-region")
    return box


def age_input(value: int = 65, description: str = "年龄（岁）") -> widgets.IntText:
    """A typed age. Unbounded on purpose: a bad value is reported in Chinese by the rules, not
    silently clamped by the widget."""
    box = widgets.IntText(value=value, description=description, layout=widgets.Layout(width="100%"))
    box.add_class("yb-input-age")
    return box


def money_input(description: str, placeholder: str = "") -> widgets.Text:
    """A money figure typed as text ("4,000" is fine); empty means not given."""
    return widgets.Text(value="", description=description, placeholder=placeholder,
                        continuous_update=False, layout=widgets.Layout(width="100%"))  # fmt: skip


def result_area() -> widgets.HTML:
    area = widgets.HTML(layout=widgets.Layout(width="100%"))
    area.add_class("yb-result")
    return area


# ---- query string and share links ------------------------------------------------------------


def query_params(query_string: str | None = None) -> dict[str, str]:
    """The page's query parameters (Voilà passes them to the kernel as ``QUERY_STRING``)."""
    raw = os.environ.get("QUERY_STRING", "") if query_string is None else query_string
    return {k: v[0].strip() for k, v in parse_qs(raw, keep_blank_values=False).items() if v}


def link_value(notes: list[str], text: str | None, parse, what: str, default, instead: str):
    """A value from the page's link: ``parse(text)``; no text gives ``default``, and text the
    rules refuse gives ``default`` plus a Chinese note in ``notes`` (shown above the result)."""
    if not text:
        return default
    try:
        return parse(text)
    except YibaoError as exc:
        notes.append(f"链接里的{what}有误：{exc} 已改用{instead}。")
        return default


def checked_text(check: Callable[[str], object]) -> Callable[[str], str]:
    """For :func:`link_value`: keep the text as typed once ``check`` accepts it."""

    def parse(text: str) -> str:
        check(text)
        return text

    return parse


def share_html(params: dict[str, object]) -> str:
    """A relative link carrying the inputs, and a button that copies the full address."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    href = f"?{query}"
    return (
        '<div class="yb-share">分享：'
        f'<a href="{esc(href)}" class="yb-share-link" target="_top">当前输入的链接</a> '
        '<button type="button" class="yb-copy" '
        f'data-q="{esc(href)}" '
        "onclick=\"(function(b){var u=new URL(b.dataset.q, window.location.href).href;"
        "function done(){b.textContent='已复制';setTimeout(function(){b.textContent='复制链接';},2000);}"
        "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(u).then(done,function(){window.prompt('复制此链接：',u);});}"
        "else{window.prompt('复制此链接：',u);}})(this)\">复制链接</button></div>"
    )


# ---- result pieces ---------------------------------------------------------------------------


def badge(confidence: str) -> str:
    return f'<span class="yb-badge yb-badge-{esc(confidence)}">可信度：{esc(CONFIDENCE_LABELS[confidence])}</span>'


def steps_html(steps: Iterable[str], title: str = "计算过程") -> str:
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return f"<div><b>{esc(title)}</b><ol class='yb-steps'>{items}</ol></div>"


def sources_html(sources: Iterable[Source], title: str = "依据") -> str:
    items = []
    for source in sources:
        cite = esc(source.cite())
        if source.url:
            cite = f'<a href="{esc(source.url)}" target="_blank" rel="noopener">{cite}</a>'
        items.append(f"<li>{cite}</li>")
    return f"<div><b>{esc(title)}</b><ul class='yb-sources'>{''.join(items)}</ul></div>"


def notice_html(text: str) -> str:
    return f'<div class="yb-notice">{esc(text)}</div>'


def error_html(message: str) -> str:
    return f'<div class="yb-error" role="alert">{esc(message)}</div>'


def card(inner: str) -> str:
    return f'<div class="yb-card">{inner}</div>'


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


def guarded(show_error: Callable[[str], None]):
    """Decorator for callbacks: library errors show their Chinese message, anything else a
    generic Chinese apology; never a traceback, never a half-updated number."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except YibaoError as exc:
                show_error(str(exc))
            except Exception:  # a visitor must never see a traceback
                log.exception("unexpected error in %s", fn.__name__)
                show_error(GENERIC_ERROR)
            return None

        return inner

    return wrap


# ---- charts ---------------------------------------------------------------------------------


def new_figure(width: float = 6.4, height: float = 3.6):
    """A matplotlib Figure (no pyplot, no global state) with the Chinese font registered."""
    from matplotlib.figure import Figure

    from ..fonts import register_cjk_font

    register_cjk_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def figure_svg(fig) -> str:
    """The figure as inline SVG: crisp on a phone, text drawn as paths so no font is needed."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def chart_area() -> widgets.HTML:
    area = widgets.HTML(layout=widgets.Layout(width="100%"))
    area.add_class("yb-chart")
    return area


# ---- fitting the width (appended for retiree_credit; applies to every app) ------------------

# ipywidgets gives each widget a 2px margin on either side; with the full width set in CSS above,
# every input was 4px wider than the app, so the app could be scrolled sideways by 4px and the
# right border of a result card was cut off (seen on a 390-px phone). The widgets made full-width
# above get no side margin instead. A DatePicker keeps ipywidgets' fixed 28px height while its
# input is 40px tall (min-height above), so it overlapped whatever came next: let it grow.
FULL_WIDTH_NO_SIDE_MARGIN_CSS = (
    ".yb-app .widget-text, .yb-app .widget-dropdown, .yb-app .widget-combobox, "
    ".yb-app .widget-datepicker, .yb-app .widget-select, .yb-app .widget-textarea, "
    ".yb-app .widget-inline-hbox, .yb-app .widget-html "
    "{ margin-left: 0 !important; margin-right: 0 !important; }\n"
    ".yb-app .widget-datepicker { height: auto !important; }\n"
)
CSS = CSS.replace("</style>", FULL_WIDTH_NO_SIDE_MARGIN_CSS + "</style>")


# ---- drawing after the page is sent ----------------------------------------------------------


def _kernel_loop():
    """The kernel's running event loop, or None outside a Jupyter kernel (another library's loop,
    such as Playwright's in the test process, must not be used)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


AFTER_CELL_DELAY = 0.3  # seconds: past the last cells of a notebook, well inside the browser's load


def after_cell(fn: Callable[[], None]) -> None:
    """Run ``fn`` as soon as the notebook cell now running has finished.

    Voilà sends the page once every cell has run; the browser then spends a second or more loading
    its scripts before it asks the kernel for the widgets. An app that draws its first charts here
    instead of while its cell runs hides that drawing in the browser's wait (measured in
    docs/performance.md). Outside a kernel (unit tests, scripts) there is no running event loop
    and ``fn`` runs at once.
    """
    loop = _kernel_loop()
    if loop is None:
        fn()
        return
    # Not call_soon: that runs before the kernel reports the cell idle (Voilà waits for idle), and
    # a short delay also lets the cells after the app run first.
    loop.call_later(AFTER_CELL_DELAY, fn)
