"""Typed records read from ``data/``: sources, regions and rule rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

CONFIDENCE_LABELS = {
    "official": "官方原文",
    "media": "权威媒体转述",
    "aggregator": "社保类网站汇总",
    "seed": "仅见于原始文章",
    "contested": "来源说法不一",
}

METHOD_LABELS = {
    "fixed": "定额划入",
    "age_tiers": "按年龄段定额划入",
    "pension_share": "按平均养老金的一定比例划入",
    "contribution_share": "按本人缴费基数的一定比例划入",
}


@dataclass(frozen=True)
class Source:
    """One publication a figure rests on."""

    id: str
    title: str
    publisher: str
    kind: str
    checked_on: date
    url: str | None = None
    published: str | None = None
    note: str | None = None

    def cite(self) -> str:
        """A one-line citation in Chinese: 《title》（publisher，published）."""
        title = self.title if self.title.startswith("《") else f"《{self.title}》"
        parts = (self.publisher, self.published)
        extra = "，".join(p for p in parts if p and p != "未记录")
        return f"{title}（{extra}）" if extra else title


@dataclass(frozen=True)
class Region:
    """A region by its GB/T 2260 code; ``parent_code`` leads to the province, then 全国."""

    code: str
    name: str
    short_name: str
    name_en: str
    level: str
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def is_national(self) -> bool:
        return self.level == "national"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class CreditRule:
    """One row of ``credit_rules.csv``: a retiree credit figure for one age band and period."""

    rule_id: str
    region_code: str
    effective_from: date
    effective_to: date | None
    variant: str
    method: str
    age_min: int
    age_max: int | None
    amount: Decimal | None
    amount_basis: str | None
    unit: str
    rate: Decimal | None
    pension_base: str | None
    avg_pension: Decimal | None
    deduction_name: str | None
    deduction_amount: Decimal | None
    applies_to: str | None
    source_ids: tuple[str, ...]
    confidence: str
    checked_on: date
    note: str | None
    row: int = field(default=0, compare=False)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def covers_age(self, age: int) -> bool:
        return self.age_min <= age and (self.age_max is None or age < self.age_max)

    def age_band(self) -> str:
        if self.age_max is None:
            return "不限年龄" if self.age_min == 0 else f"{self.age_min}岁及以上"
        if self.age_min == 0:
            return f"{self.age_max}岁以下"
        return f"{self.age_min}–{self.age_max - 1}岁"


@dataclass(frozen=True)
class WorkerRule:
    """One row of ``worker_rules.csv``: the in-service employee's credit rate."""

    rule_id: str
    region_code: str
    effective_from: date
    effective_to: date | None
    rate: Decimal
    base_description: str
    source_ids: tuple[str, ...]
    confidence: str
    checked_on: date
    note: str | None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class YearsRule:
    """One row of ``min_years.csv``: years needed to stop paying at retirement, for one sex."""

    region_code: str
    sex: str
    total_years: Decimal | None
    local_years: Decimal | None
    local_years_note: str | None
    effective_from: date
    effective_to: date | None
    status: str
    source_ids: tuple[str, ...]
    confidence: str
    note: str | None
    row: int = field(default=0, compare=False)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class YearsOption:
    """What someone short of the minimum years can do (seed 002)."""

    option_id: str
    title: str
    explanation: str
    source_ids: tuple[str, ...]
