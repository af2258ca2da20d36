"""Sourced statements from ``data/transfer.yaml`` as typed objects, for the apps that show them.

The transfer guide shows what moves with a transfer and practical reminders; the home page
shows how to check one's balance, family sharing (家庭共济) and the 医保钱包. Each statement
keeps its confidence and sources; no app reads the YAML's dicts itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .model import CONFIDENCE_LABELS, Source
from .store import get_store
from .transfer import Fact

HOME_SECTIONS = {
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

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS[self.confidence]


def _facts(section: str) -> tuple[Fact, ...]:
    store = get_store()
    return tuple(
        Fact(item["text"], item["confidence"], tuple(store.sources_for(item["source_ids"])))
        for item in store.transfer[section]
    )


@functools.cache
def what_moves() -> tuple[Fact, ...]:
    """What moves with a transfer (the relation, the years, the balance …)."""
    return _facts("what_moves")


@functools.cache
def transfer_tips() -> tuple[Fact, ...]:
    """Practical reminders for a transfer."""
    return _facts("tips")


def home_facts(section: str) -> tuple[HomeFact, ...]:
    """The items of one home-page section (``balance_check_channels``, ``family_sharing`` or
    ``wallet``), with their sources."""
    if section not in HOME_SECTIONS:
        raise KeyError(f"unknown home-page section {section!r}; one of {sorted(HOME_SECTIONS)}")
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


__all__ = ["HOME_SECTIONS", "HomeFact", "home_facts", "transfer_tips", "what_moves"]
