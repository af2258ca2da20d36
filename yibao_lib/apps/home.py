"""首页 — the sourced facts shown on notebooks/index.ipynb.

How to check one's balance and monthly credit, family sharing (家庭共济) and the 医保钱包 live in
data/transfer.yaml (sections ``balance_check_channels``, ``family_sharing``, ``wallet``); this
module reads them through :func:`yibao_lib.get_store` and renders each with its source and
confidence. The notebook holds no facts of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .. import Source, data_checked_on, get_store
from ..ui import common

SECTIONS = {
    "balance_check_channels": "怎么查个人账户余额和每月划入",
    "family_sharing": "家庭共济：个人账户的钱给家人用",
    "wallet": "医保钱包：把钱转给家人",
}


@dataclass(frozen=True)
class HomeFact:
    """One sourced statement on the home page. ``title`` is set for a channel (its name),
    ``advice`` carries a safety hint (e.g. change a default password)."""

    id: str
    text: str
    confidence: str
    sources: tuple[Source, ...]
    title: str | None = None
    advice: str | None = None


def home_facts(section: str) -> tuple[HomeFact, ...]:
    """The items of one section of data/transfer.yaml shown on the home page
    (``balance_check_channels``, ``family_sharing`` or ``wallet``), with their sources."""
    if section not in SECTIONS:
        raise KeyError(f"unknown home-page section {section!r}; one of {sorted(SECTIONS)}")
    store = get_store()
    facts = []
    for item in store.transfer[section]:
        sources = tuple(store.sources_for(item["source_ids"]))
        if section == "balance_check_channels":
            fact = HomeFact(item["id"], item["how"], item["confidence"], sources,
                            title=item["name"], advice=item.get("advice"))  # fmt: skip
        else:
            fact = HomeFact(item["id"], item["text"], item["confidence"], sources)
        facts.append(fact)
    return tuple(facts)


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


__all__ = ["SECTIONS", "HomeApp", "HomeFact", "home_facts", "home_html"]
