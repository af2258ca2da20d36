"""Building blocks every app uses: page style, inputs, result cards, badges, errors, links, charts.

Conventions (tests rely on them):

* the app's root widget carries ``yb-app``; the region input ``yb-input-region``; the age input
  ``yb-input-age``; the main result area ``yb-result``; charts ``yb-chart``; the copy-link box
  ``yb-share``; error boxes inside the result carry ``yb-error``.
* 大字模式 (large text): :class:`LargeTextMode` puts a switch (``yb-big-switch``) at the top of
  the app, sets ``yb-big-text`` on the root while it is on, reads ``big=1`` from the page's link
  and adds it to the share link (``share_html(..., large_text=...)``).
* a result card made with ``card(inner, speak=True)`` carries a 朗读 button (``yb-speak``, its
  text in ``data-text``); the Voilà template shows it only where the browser has a Chinese voice
  and speaks it there, in the page — nothing is sent anywhere.
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
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qs, urlencode

import ipywidgets as widgets

from ..errors import YibaoError
from ..model import CONFIDENCE_LABELS, Source
from ..regions import all_regions
from ..regions import label as region_label
from .style import BIG_TEXT_CLASS, CSS, FULL_WIDTH_NO_SIDE_MARGIN_CSS  # noqa: F401  (public names)

log = logging.getLogger("yibao.ui")

DISCLAIMER = "本工具依据公开资料整理，仅供参考，具体以当地医保部门规定为准。"
GENERIC_ERROR = "出错了，请检查输入后重试；如果问题持续，请刷新页面。"


def esc(text: object) -> str:
    """HTML-escaped text; lone surrogates (which cannot be sent to the page) become "?"."""
    return html.escape(str(text).encode("utf-8", "replace").decode("utf-8"))


def style(css: str = CSS) -> widgets.HTML:
    """A stylesheet (the shared CSS unless told) as a widget to put in an app; it takes no room
    on the page (``yb-style``: hidden, which leaves the stylesheet working)."""
    box = widgets.HTML(css)
    box.add_class("yb-style")
    return box


def app_box(
    children: Iterable[widgets.Widget], large_text: LargeTextMode | None = None
) -> widgets.VBox:
    """The app's root (``yb-app``): the shared style, then the 大字模式 switch of ``large_text``
    (at the top, where every app has it), then ``children``."""
    top = [large_text.switch] if large_text is not None else []
    box = widgets.VBox([style(), *top, *children], layout=widgets.Layout(width="100%"))
    box.add_class("yb-app")
    if large_text is not None:
        large_text.attach(box)
    return box


# ---- 大字模式 (large text) -------------------------------------------------------------------

BIG_TEXT_PARAM = "big"
BIG_TEXT_LABEL = "大字模式：字和按钮更大"
_BIG_TEXT_ON = frozenset({"1", "true", "yes", "y", "on", "是"})


def big_text_from_query(query: Mapping[str, str] | None) -> bool:
    """Whether the page's link asks for 大字模式 (``big=1``; anything else means off)."""
    return str((query or {}).get(BIG_TEXT_PARAM) or "").strip().casefold() in _BIG_TEXT_ON


class LargeTextMode:
    """大字模式 of one app: a switch for the top of the app (:func:`app_box` puts it there), the
    class ``yb-big-text`` on the app's root while it is on (the shared CSS then sets 18 px text,
    key figures of at least 30 px and targets at least 60 px high), ``big=1`` read from the
    page's link and added to the share link (:func:`share_html`).

    Usage in an app::

        self.large_text = common.LargeTextMode(query)
        self.widget = common.app_box([...], large_text=self.large_text)
        self.large_text.observe(self._update_share)     # the share link follows the switch
        ... common.share_html(params, large_text=self.large_text)
    """

    def __init__(self, query: Mapping[str, str] | None = None):
        self.switch = widgets.Checkbox(
            value=big_text_from_query(query),
            description=BIG_TEXT_LABEL,
            indent=False,
            layout=widgets.Layout(width="100%"),
        )
        self.switch.add_class("yb-big-switch")
        self._roots: list[widgets.Widget] = []
        self.switch.observe(self._apply, names="value")

    @property
    def on(self) -> bool:
        return self.switch.value is True

    def attach(self, root: widgets.Widget) -> None:
        """Let ``root`` carry ``yb-big-text`` while the mode is on."""
        self._roots.append(root)
        self._apply()

    def _apply(self, _change=None) -> None:
        for root in self._roots:
            if self.on:
                root.add_class(BIG_TEXT_CLASS)
            else:
                root.remove_class(BIG_TEXT_CLASS)

    def observe(self, callback: Callable[[], object]) -> None:
        """Call ``callback()`` whenever the switch is turned on or off."""
        self.switch.observe(lambda _change: callback(), names="value")

    def link_params(self, params: Mapping[str, object]) -> dict[str, object]:
        """``params`` with ``big=1`` while the mode is on (and without ``big`` while it is off)."""
        out = {k: v for k, v in params.items() if k != BIG_TEXT_PARAM}
        if self.on:
            out[BIG_TEXT_PARAM] = 1
        return out


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


def share_html(params: Mapping[str, object], large_text: LargeTextMode | None = None,
               label: str = "") -> str:  # fmt: skip
    """A relative link carrying the inputs (and ``big=1`` while ``large_text`` is on), and a
    button that copies the full address. ``label`` names the inputs in the link's text
    (深圳 · 66 岁), so that a pasted or forwarded link says what it shows."""
    if large_text is not None:
        params = large_text.link_params(params)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    href = f"?{query}"
    return (
        '<div class="yb-share">分享：'
        f'<a href="{esc(href)}" class="yb-share-link" target="_top">'
        f'{esc(label + " 的链接") if label else "当前输入的链接"}</a> '
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


def card(inner: str, speak: bool | str = False) -> str:
    """A result card. With ``speak`` it carries a 朗读 button that reads the card aloud (its
    text: ``speak`` if that is a string, else the card's own text, see :func:`spoken_text`)."""
    if not speak:
        return f'<div class="yb-card">{inner}</div>'
    text = speak if isinstance(speak, str) else spoken_text(inner)
    return f'<div class="yb-card">{speak_button(text)}{inner}</div>'


SPEAK_LABEL = "朗读"


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
