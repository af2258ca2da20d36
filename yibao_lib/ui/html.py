"""HTML pieces every app's result is made of: escaping, cards (with 朗读), badges, steps,
sources, notices and errors. Pure functions: text in, HTML text out (no widgets).

* a result card made with ``card(inner, speak=True)`` carries a 朗读 button (``yb-speak``, its
  text in ``data-text``); the Voilà template shows it only where the browser has a Chinese voice
  and speaks it there, in the page — nothing is sent anywhere.
* error boxes carry ``yb-error`` (``role="alert"``), notices ``yb-notice``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from ..model import CONFIDENCE_COLORS, CONFIDENCE_LABELS, CONFIDENCE_ORDER, Source

DISCLAIMER = "本工具依据公开资料整理，仅供参考，具体以当地医保部门规定为准。"
GENERIC_ERROR = "出错了，请检查输入后重试；如果问题持续，请刷新页面。"
SPEAK_LABEL = "朗读"


def esc(text: object) -> str:
    """HTML-escaped text; lone surrogates (which cannot be sent to the page) become "?"."""
    return html.escape(str(text).encode("utf-8", "replace").decode("utf-8"))


def badge(confidence: str) -> str:
    """The confidence badge (its colour from the shared CSS, its words from the label)."""
    return f'<span class="yb-badge yb-badge-{esc(confidence)}">可信度：{esc(CONFIDENCE_LABELS[confidence])}</span>'


def confidence_legend(used: Iterable[str]) -> list[tuple[str, str]]:
    """(label, colour) of the confidence levels in ``used``, most certain first."""
    used = set(used)
    return [(CONFIDENCE_LABELS[c], CONFIDENCE_COLORS[c]) for c in CONFIDENCE_ORDER if c in used]


def legend_html(items: Sequence[tuple[str, str]]) -> str:
    """A chart legend: a colour swatch and a label per (label, colour)."""
    swatches = "".join(
        f'<span style="display:inline-block;margin:0 12px 2px 0;white-space:nowrap;">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;'
        f'background:{color};vertical-align:-1px;margin-right:4px;"></span>{esc(label)}</span>'
        for label, color in items
    )
    return f'<div class="yb-legend" style="line-height:1.8;">{swatches}</div>'


def steps_html(steps: Iterable[str], title: str = "计算过程") -> str:
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return f"<div><b>{esc(title)}</b><ol class='yb-steps'>{items}</ol></div>"


def notes_html(notes: Iterable[str], title: str = "说明", css: str = "yb-steps") -> str:
    """A titled list of notes ("" when there are none)."""
    items = "".join(f"<li>{esc(note)}</li>" for note in notes)
    return f"<div><b>{esc(title)}</b><ul class='{css}'>{items}</ul></div>" if items else ""


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


def notices_html(texts: Iterable[str]) -> str:
    return "".join(notice_html(text) for text in texts)


def error_html(message: str) -> str:
    return f'<div class="yb-error" role="alert">{esc(message)}</div>'


def card(inner: str, speak: bool | str = False) -> str:
    """A result card. With ``speak`` it carries a 朗读 button that reads the card aloud (its
    text: ``speak`` if that is a string, else the card's own text, see :func:`spoken_text`)."""
    if not speak:
        return f'<div class="yb-card">{inner}</div>'
    text = speak if isinstance(speak, str) else spoken_text(inner)
    return f'<div class="yb-card">{speak_button(text)}{inner}</div>'


def speak_button(text: str) -> str:
    """The 朗读 button of a result card: the page's script speaks ``text`` with the browser's own
    Chinese voice, and hides the button where the browser has none (nothing leaves the page)."""
    return (
        f'<button type="button" class="yb-speak" data-text="{esc(text)}" aria-pressed="false">'
        f"{SPEAK_LABEL}</button>"
    )


_NOT_SPOKEN = re.compile(r"<(style|script|svg|button|details)\b.*?</\1\s*>", re.S | re.I)
_BLOCK_END = re.compile(r"</(div|p|li|h[1-6]|ol|ul|tr|table|summary)\s*>|<br\s*/?>", re.I)
_PAUSE_AFTER = "。！？；：，、.!?;:"


def spoken_text(inner_html: str) -> str:
    """The text of a piece of HTML as sentences to read aloud: each block ends with a pause
    (。), "·" becomes "，", "→" becomes "到"; charts, buttons and folded details are left out."""
    text = _NOT_SPOKEN.sub(" ", inner_html)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = text.replace(" · ", "，").replace("·", "，").replace("→", "到")
    parts = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            parts.append(line if line[-1] in _PAUSE_AFTER else line + "。")
    return "".join(parts)
