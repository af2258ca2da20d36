"""All data, loaded and validated once per process.

``get_store()`` reads every file in ``data/`` on first use (a few milliseconds), checks each row
and the links between tables, and keeps indexes for the calculators. Nothing is read at import.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import _tables as t
from .errors import DataError
from .model import CreditRule, Region, Source, WorkerRule, YearsOption, YearsRule

C = t.Column
CONF = t.CONFIDENCE_LEVELS

SOURCE_COLUMNS = [
    C("source_id"),
    C("title"),
    C("publisher"),
    C("url", required=False),
    C("published", required=False),
    C("checked_on", t.parse_date),
    C("kind", choices=t.SOURCE_KINDS),
    C("note", required=False),
]
REGION_COLUMNS = [
    C("code", t.parse_code),
    C("name"),
    C("short_name"),
    C("aliases", t.parse_list, required=False),
    C("name_en"),
    C("level", choices=("national", "province", "city", "county")),
    C("parent_code", t.parse_code, required=False),
]
CREDIT_COLUMNS = [
    C("rule_id"),
    C("region_code", t.parse_code),
    C("effective_from", t.parse_date),
    C("effective_to", t.parse_date, required=False),
    C("variant", choices=("primary", "alternative", "group")),
    C("method", choices=("fixed", "age_tiers", "pension_share")),
    C("age_min", t.parse_int, required=False),
    C("age_max", t.parse_int, required=False),
    C("amount", t.parse_decimal, required=False),
    C("amount_basis", required=False, choices=("gross", "net")),
    C("unit", choices=("month", "year")),
    C("rate", t.parse_decimal, required=False),
    C("pension_base", required=False),
    C("avg_pension", t.parse_decimal, required=False),
    C("deduction_name", required=False),
    C("deduction_amount", t.parse_decimal, required=False),
    C("applies_to", required=False),
    C("source_ids", t.parse_list),
    C("confidence", choices=CONF),
    C("checked_on", t.parse_date),
    C("note", required=False),
]
WORKER_COLUMNS = [
    C("rule_id"),
    C("region_code", t.parse_code),
    C("effective_from", t.parse_date),
    C("effective_to", t.parse_date, required=False),
    C("rate", t.parse_decimal),
    C("base_description"),
    C("source_ids", t.parse_list),
    C("confidence", choices=CONF),
    C("checked_on", t.parse_date),
    C("note", required=False),
]
YEARS_COLUMNS = [
    C("region_code", t.parse_code),
    C("sex", choices=("male", "female")),
    C("total_years", t.parse_decimal, required=False),
    C("local_years", t.parse_decimal, required=False),
    C("local_years_note", required=False),
    C("effective_from", t.parse_date),
    C("effective_to", t.parse_date, required=False),
    C("status", choices=("in_force", "phasing_in", "fallback")),
    C("source_ids", t.parse_list),
    C("confidence", choices=CONF),
    C("note", required=False),
]
OPTION_COLUMNS = [
    C("option_id"),
    C("title"),
    C("explanation"),
    C("source_ids", t.parse_list),
]

NATIONAL_CODE = "000000"


@dataclass(frozen=True)
class Store:
    sources: dict[str, Source]
    regions: dict[str, Region]
    lookup: dict[str, str]  # normalised name/alias/code → region code
    credit_rules: dict[str, list[CreditRule]]  # region code → rows
    worker_rules: dict[str, list[WorkerRule]]
    years_rules: dict[str, list[YearsRule]]
    years_options: list[YearsOption]
    transfer: dict

    def sources_for(self, ids) -> list[Source]:
        return [self.sources[i] for i in ids]

    def chain(self, region: Region) -> list[Region]:
        """The region, its parents, and 全国 last."""
        out = [region]
        while out[-1].parent_code:
            out.append(self.regions[out[-1].parent_code])
        if not out[-1].is_national:
            out.append(self.regions[NATIONAL_CODE])
        return out


def normalise(text: str) -> str:
    return "".join(text.split()).casefold()


@functools.cache
def get_store() -> Store:
    """Load and validate every data file (once per process)."""
    sources = _load_sources()
    regions, lookup = _load_regions()
    check = _Checker(sources, regions)
    credit = _group(
        check.credit(CreditRule(**_fields(r, CreditRule)))
        for r in t.read_table("credit_rules.csv", CREDIT_COLUMNS)
    )
    check.no_overlaps("credit_rules.csv", credit)
    workers = _group(
        check.rule("worker_rules.csv", WorkerRule(**_fields(r, WorkerRule)), r["_row"])
        for r in t.read_table("worker_rules.csv", WORKER_COLUMNS)
    )
    years = _group(
        check.rule("min_years.csv", YearsRule(**_fields(r, YearsRule)), r["_row"])
        for r in t.read_table("min_years.csv", YEARS_COLUMNS)
    )
    options = []
    for r in t.read_table("min_years_options.csv", OPTION_COLUMNS):
        option = YearsOption(**_fields(r, YearsOption))
        check.source_ids("min_years_options.csv", r["_row"], option.source_ids)
        options.append(option)
    from .transfer_data import load_transfer  # yaml is only needed here

    transfer = load_transfer(check.source_ids)
    return Store(sources, regions, lookup, credit, workers, years, options, transfer)


def _fields(row: dict, cls) -> dict:
    names = cls.__dataclass_fields__
    out = {k: v for k, v in row.items() if k in names}
    if "row" in names:
        out["row"] = row["_row"]
    if cls is CreditRule:
        out["age_min"] = out["age_min"] or 0
    return out


def _group(rules) -> dict[str, list]:
    grouped = defaultdict(list)
    for rule in rules:
        grouped[rule.region_code].append(rule)
    for rows in grouped.values():
        rows.sort(key=lambda r: (r.effective_from, getattr(r, "age_min", 0)))
    return dict(grouped)


def _load_sources() -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for r in t.read_table("sources.csv", SOURCE_COLUMNS):
        if r["source_id"] in sources:
            raise DataError("sources.csv", r["_row"], "source_id", "编号重复")
        sources[r["source_id"]] = Source(
            id=r["source_id"], title=r["title"], publisher=r["publisher"], kind=r["kind"],
            checked_on=r["checked_on"], url=r["url"], published=r["published"], note=r["note"],
        )  # fmt: skip
    return sources


def _load_regions() -> tuple[dict[str, Region], dict[str, str]]:
    regions: dict[str, Region] = {}
    lookup: dict[str, str] = {}
    rows = t.read_table("regions.csv", REGION_COLUMNS)
    for r in rows:
        region = Region(
            code=r["code"], name=r["name"], short_name=r["short_name"], name_en=r["name_en"],
            level=r["level"], parent_code=r["parent_code"], aliases=r["aliases"] or (),
        )  # fmt: skip
        if region.code in regions:
            raise DataError("regions.csv", r["_row"], "code", "代码重复")
        regions[region.code] = region
        for key in {region.code, region.name, region.short_name, region.name_en, *region.aliases}:
            norm = normalise(key)
            if lookup.get(norm, region.code) != region.code:
                raise DataError("regions.csv", r["_row"], "aliases", f"名称“{key}”与其他地区重复")
            lookup[norm] = region.code
    if NATIONAL_CODE not in regions:
        raise DataError("regions.csv", None, "code", "缺少全国（000000）这一行")
    for r in rows:
        parent = r["parent_code"]
        if r["level"] == "national":
            if parent:
                raise DataError("regions.csv", r["_row"], "parent_code", "全国不应有上级")
        elif parent not in regions:
            raise DataError("regions.csv", r["_row"], "parent_code", f"上级地区“{parent}”不存在")
    return regions, lookup


class _Checker:
    """Cross-table checks: source ids and region codes exist, dates are ordered."""

    def __init__(self, sources: dict[str, Source], regions: dict[str, Region]):
        self.sources, self.regions = sources, regions

    def source_ids(self, file: str, row: int | None, ids) -> None:
        if not ids:
            raise DataError(file, row, "source_ids", "每一行都必须注明来源")
        for source_id in ids:
            if source_id not in self.sources:
                raise DataError(file, row, "source_ids", f"来源“{source_id}”不在 sources.csv 中")

    def rule(self, file: str, rule, row: int):
        if rule.region_code not in self.regions:
            raise DataError(file, row, "region_code", f"地区代码“{rule.region_code}”不在 regions.csv 中")
        if rule.effective_to is not None and rule.effective_to < rule.effective_from:
            raise DataError(file, row, "effective_to", "结束日期早于开始日期")
        self.source_ids(file, row, rule.source_ids)
        return rule

    def credit(self, rule: CreditRule) -> CreditRule:
        file, row = "credit_rules.csv", rule.row
        self.rule(file, rule, row)
        if rule.age_max is not None and rule.age_max <= rule.age_min:
            raise DataError(file, row, "age_max", "年龄上限必须大于下限")
        if rule.method == "pension_share":
            if rule.rate is None or not (Decimal(0) < rule.rate < Decimal(1)):
                raise DataError(file, row, "rate", "按比例划入必须填写 0 到 1 之间的比例")
            if rule.amount is not None:
                raise DataError(file, row, "amount", "按比例划入不应填写定额")
        else:
            if rule.amount is None or rule.amount < 0:
                raise DataError(file, row, "amount", "定额划入必须填写不小于0的金额")
            if rule.amount_basis is None:
                raise DataError(file, row, "amount_basis", "定额必须注明是扣除前（gross）还是扣除后（net）")
        if rule.deduction_amount is not None and rule.deduction_name is None:
            raise DataError(file, row, "deduction_name", "有扣除金额就必须写明扣除项目")
        return rule

    def no_overlaps(self, file: str, grouped: dict[str, list[CreditRule]]) -> None:
        """Primary rows of one region never overlap in period and age, nor mix methods."""
        for rules in grouped.values():
            primary = [r for r in rules if r.variant == "primary"]
            for i, a in enumerate(primary):
                for b in primary[i + 1 :]:
                    if not _periods_overlap(a, b):
                        continue
                    if (a.method == "pension_share") != (b.method == "pension_share"):
                        raise DataError(file, b.row, "method", f"与第{a.row}行同期，不能既定额又按比例")
                    if _ages_overlap(a, b):
                        raise DataError(file, b.row, "age_min", f"与第{a.row}行的年龄段和时间重叠")


def _periods_overlap(a, b) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def _ages_overlap(a: CreditRule, b: CreditRule) -> bool:
    a_end = a.age_max if a.age_max is not None else 10**6
    b_end = b.age_max if b.age_max is not None else 10**6
    return a.age_min < b_end and b.age_min < a_end
