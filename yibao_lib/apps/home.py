"""首页 — the sourced facts shown on notebooks/index.ipynb.

How to check one's balance and monthly credit, family sharing (家庭共济) and the 医保钱包 come
from the library as typed, sourced facts (:func:`yibao_lib.facts.home_facts`); this module
renders each with its source and confidence. The notebook holds no facts of its own.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import data_checked_on
from ..facts import HOME_SECTIONS as SECTIONS
from ..facts import HomeFact, home_facts
from ..ui import common
from ..ui.query import Param, read_query

# The home page's link has no inputs of its own; 大字模式 (big=1) is read by LargeTextMode.
PARAMS: tuple[Param, ...] = ()


def fact_html(fact: HomeFact) -> str:
    """One fact: the text, then its confidence badge beside its sources (folded away, to keep
    the page short on a phone), and a safety hint where the data has one."""
    esc = common.esc
    title = f"<b>{esc(fact.title)}</b>：" if fact.title else ""
    advice = common.notice_html(fact.advice) if fact.advice else ""
    count = len(fact.sources)
    return (
        f"<li class='yb-fact'>{title}{esc(fact.text)}{advice}"
        f"<details class='yb-fact-sources'><summary>{common.badge(fact.confidence)} "
        f"来源（{count}）</summary>{common.sources_html(fact.sources, title='')}</details></li>"
    )


def section_html(section: str) -> str:
    items = "".join(fact_html(fact) for fact in home_facts(section))
    return common.card(
        f"<h3>{common.esc(SECTIONS[section])}</h3><ul class='yb-steps yb-home-{section}'>{items}</ul>",
        speak=True,
    )


def home_html() -> str:
    """Everything the home page's code cell shows, as one HTML string."""
    checked = data_checked_on()
    parts = [
        f'<div class="yb-ok yb-checked-on">数据核对日期：{checked:%Y年%m月%d日}。'
        f"{common.esc(common.DISCLAIMER)}</div>",
        section_html("balance_check_channels"),
        section_html("family_sharing"),
        section_html("wallet"),
    ]
    return "".join(parts)


class HomeApp:
    """The home page's dynamic part: the data's "checked on" date and the sourced facts."""

    def __init__(self, query: dict[str, str] | None = None):
        self.query = dict(query or {})  # no inputs but 大字模式 (big=1)
        self.link = read_query(PARAMS, self.query)
        self.large_text = common.LargeTextMode(self.query)
        self.content = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.content.add_class("yb-home")
        show = common.guarded(self._show_error)(self._show)
        show()
        self.widget = common.app_box([self.content], large_text=self.large_text)

    def _show(self) -> None:
        self.content.value = home_html()

    def _show_error(self, message: str) -> None:
        self.content.value = common.error_html(message)

    @classmethod
    def from_query(cls, query_string: str | None = None) -> HomeApp:
        return cls(common.query_params(query_string))


__all__ = [
    "PARAMS", "SECTIONS", "HomeApp", "HomeFact", "fact_html", "home_facts", "home_html",
    "section_html",
]  # fmt: skip
