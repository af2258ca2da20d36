"""The widgets every app is built of: the app's root with its style and 大字模式 switch, the
region, age and money inputs, and the result area.

Conventions (tests rely on them): the app's root widget carries ``yb-app``; the region input
``yb-input-region``; the age input ``yb-input-age``; the main result area ``yb-result``.
大字模式 (large text): :class:`LargeTextMode` puts a switch (``yb-big-switch``) at the top of
the app, sets ``yb-big-text`` on the root while it is on, reads ``big=1`` from the page's link
and adds it to the share link (``share_html(..., large_text=...)``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

import ipywidgets as widgets

from ..regions import all_regions
from ..regions import label as region_label
from .style import BIG_TEXT_CLASS, CSS


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


def text_input(description: str, placeholder: str = "") -> widgets.Text:
    """Free text (years, …) checked by the rules, which report a bad value in Chinese."""
    return money_input(description, placeholder)


def result_area() -> widgets.HTML:
    area = widgets.HTML(layout=widgets.Layout(width="100%"))
    area.add_class("yb-result")
    return area
