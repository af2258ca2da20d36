"""Typed records read from ``data/``: sources, regions and rule rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ConfidenceLevel:
    """How sure a source is: its key in data/, its Chinese label, and its colour (badges, chart
    bars, the map: white text on each has a contrast of at least 4.5:1)."""

    key: str
    label: str
    colour: str


# The one place for the confidence levels, from most to least certain: where several rows feed
# one answer, the least certain wins (results.weakest), and legends list them in this order.
CONFIDENCE = (
    ConfidenceLevel("official", "官方原文", "#1a7f37"),
    ConfidenceLevel("media", "权威媒体转述", "#0969da"),
    ConfidenceLevel("aggregator", "社保类网站汇总", "#9a6700"),
    ConfidenceLevel("seed", "仅见于原始文章", "#8250df"),
    ConfidenceLevel("weak", "问答网站，较弱", "#57606a"),
    ConfidenceLevel("contested", "来源说法不一", "#cf222e"),
)
CONFIDENCE_ORDER = tuple(level.key for level in CONFIDENCE)
CONFIDENCE_RANK = {key: rank for rank, key in enumerate(CONFIDENCE_ORDER)}  # higher: less sure
CONFIDENCE_LABELS = {level.key: level.label for level in CONFIDENCE}
CONFIDENCE_COLORS = {level.key: level.colour for level in CONFIDENCE}

METHOD_LABELS = {
    "fixed": "定额划入",
    "age_tiers": "按年龄段定额划入",
    "pension_share": "按平均养老金的一定比例划入",
    "contribution_share": "按本人缴费基数的一定比例划入",
}


class Dated:
    """A row in force from ``effective_from`` (``None``: the start is not known) to
    ``effective_to`` (``None``: still in force); both ends included."""

    effective_from: date | None
    effective_to: date | None

    def in_force_on(self, day: date) -> bool:
        started = self.effective_from is None or self.effective_from <= day
        return started and (self.effective_to is None or day <= self.effective_to)

    def since_text(self) -> str:
        """“2023年1月1日起” or “起始日期不详”, for the steps shown to a user."""
        if self.effective_from is None:
            return "起始日期不详"
        start = self.effective_from
        return f"{start.year}年{start.month}月{start.day}日起"


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
    no_url_reason: str | None = None

    def cite(self) -> str:
        """A one-line citation in Chinese: 《title》（publisher，published）."""
        title = self.title if self.title.startswith("《") else f"《{self.title}》"
        parts = (self.publisher, self.published)
        extra = "，".join(p for p in parts if p and p != "未记录")
        return f"{title}（{extra}）" if extra else title


@dataclass(frozen=True)
class Region:
    """A division by its GB/T 2260 code; ``parent_code`` leads up to the province, then 全国.

    ``level`` is ``national``, ``province`` (省、自治区、直辖市), ``city`` (prefecture level:
    地级市、自治州、地区、盟) or ``county`` (市辖区、县级市、县、自治县、旗、特区、林区 …); ``kind``
    is the division's type as the national list names it (地级市, 自治州, 市辖区 …). A county-level
    city administered by the province (仙桃, 济源, 万宁 …) is a ``county`` whose parent is the province.
    """

    code: str
    name: str
    short_name: str
    name_en: str
    level: str
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = ""
    note: str | None = None

    @property
    def is_national(self) -> bool:
        return self.level == "national"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class CreditRule(Dated):
    """One row of ``credit_rules.csv``: a retiree credit figure for one age band and period."""

    rule_id: str
    region_code: str
    effective_from: date | None
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
    base_year: int | None
    base_area: str | None
    avg_pension: Decimal | None
    deduction_name: str | None
    deduction_amount: Decimal | None
    applies_to: str | None
    source_ids: tuple[str, ...]
    confidence: str
    checked_on: date
    note: str | None
    row: int = field(default=0, compare=False)

    def covers_age(self, age: int) -> bool:
        return self.age_min <= age and (self.age_max is None or age < self.age_max)

    def age_band(self) -> str:
        if self.age_max is None:
            return "不限年龄" if self.age_min == 0 else f"{self.age_min}岁及以上"
        if self.age_min == 0:
            return f"{self.age_max}岁以下"
        return f"{self.age_min}–{self.age_max - 1}岁"


@dataclass(frozen=True)
class WorkerRule(Dated):
    """One row of ``worker_rules.csv``: the in-service employee's credit rate."""

    rule_id: str
    region_code: str
    effective_from: date | None
    effective_to: date | None
    rate: Decimal
    base_description: str
    source_ids: tuple[str, ...]
    confidence: str
    checked_on: date
    note: str | None
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class YearsRule(Dated):
    """One row of ``min_years.csv``: years needed to stop paying at retirement, for one sex."""

    region_code: str
    sex: str
    total_years: Decimal | None
    actual_years: Decimal | None
    local_years: Decimal | None
    local_years_note: str | None
    effective_from: date | None
    effective_to: date | None
    status: str
    source_ids: tuple[str, ...]
    confidence: str
    note: str | None
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AveragePension(Dated):
    """One row of ``avg_pensions.csv``: a published average monthly basic pension of a place
    for one year. ``covers`` says whose pensions it averages (``enterprise`` retirees or ``all``).
    Never an amount ÷ rate worked out by someone: only figures a source states."""

    region_code: str
    year: int
    amount: Decimal
    covers: str
    source_ids: tuple[str, ...]
    confidence: str
    checked_on: date
    note: str | None
    row: int = field(default=0, compare=False)

    @property
    def effective_from(self) -> date:  # a year's average, for the overlap check
        return date(self.year, 1, 1)

    @property
    def effective_to(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class YearsOption:
    """What someone short of the minimum years can do (seed 002)."""

    option_id: str
    title: str
    explanation: str
    source_ids: tuple[str, ...]
