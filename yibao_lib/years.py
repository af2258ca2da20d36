"""Minimum contribution years to stop paying at retirement (退休后免缴的最低缴费年限).

社会保险法 第二十七条: whoever retires with the contribution years "国家规定年限" pays no more;
there is no single national number, so each region sets its own (data/min_years.csv). Many also
require a number of years actually paid locally (湖南: 10 in 2023 rising to 15 in 2028). Deemed
years (视同缴费年限) count together with actual years. Without a local rule the seeds' general
men 30 / women 25 is used, labelled as a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import DataError, YibaoInputError
from .inputs import SEX_LABELS, fmt_number, to_date, to_sex, to_years
from .model import Region, Source, YearsOption, YearsRule
from .regions import find_region
from .results import Explained, weakest
from .store import NATIONAL_CODE, get_store

ZERO = Decimal(0)


@dataclass(frozen=True)
class YearsOptionResult:
    """One way to close a shortfall, with the computed gap in its text."""

    option_id: str
    title: str
    explanation: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class YearsResult(Explained):
    """Whether enough years were paid to stop paying at retirement, and if not, by how much.

    ``met`` compares ``counted_total`` (actual + deemed years) with ``required_total``, and local
    actual years with ``required_local`` where the region sets one. ``phasing_in`` marks a rule
    still rising toward its target (then the target is used and ``estimated`` is True).
    """

    region: Region
    rule_region: Region
    on: date
    sex: str
    total_years: Decimal
    local_years: Decimal | None
    deemed_years: Decimal
    counted_total: Decimal
    required_total: Decimal
    required_local: Decimal | None
    short_total: Decimal
    short_local: Decimal | None
    met: bool
    phasing_in: bool
    fallback: bool
    estimated: bool
    confidence: str
    options: tuple[YearsOptionResult, ...]
    steps: tuple[str, ...]
    sources: tuple[Source, ...]
    notes: tuple[str, ...]

    @property
    def sex_label(self) -> str:
        return SEX_LABELS[self.sex]


def years_rule_for(region: Region, sex: str, day: date) -> tuple[Region, YearsRule, list[YearsRule]]:
    """The rule for ``sex`` on ``day``: the region's own, else its parents', else the fallback.

    Returns (region whose rule applies, the rule, rules whose figures it inherits). A row with no
    total (成都) takes the total from the next region up.
    """
    store = get_store()
    found: list[tuple[Region, YearsRule]] = []
    for candidate in store.chain(region):
        rows = [
            r
            for r in store.years_rules.get(candidate.code, ())
            if r.sex == sex and r.in_force_on(day)
        ]
        if rows:
            found.append((candidate, rows[-1]))
            if rows[-1].total_years is not None:
                break
    if not found or found[-1][1].total_years is None:
        raise DataError("min_years.csv", None, "region_code", f"{day} 没有全国兜底的最低缴费年限")
    return found[0][0], found[0][1], [rule for _, rule in found[1:]]


def minimum_years_check(
    region: str | int | Region,
    sex: str,
    total_years,
    *,
    local_years=None,
    deemed_years=0,
    on: date | str | None = None,
) -> YearsResult:
    """Check ``total_years`` actual years (+ ``deemed_years``) and ``local_years`` against the
    rule of ``region`` for ``sex`` (male/female/男/女) on ``on`` (the retirement date; default
    today)."""
    asked = find_region(region)
    sex = to_sex(sex)
    total = to_years(total_years, "累计实际缴费年限")
    deemed = ZERO if deemed_years in (None, "") else to_years(deemed_years, "视同缴费年限")
    local = None if local_years in (None, "") else to_years(local_years, "本地实际缴费年限")
    if local is not None and local > total:
        raise YibaoInputError("本地实际缴费年限不能超过累计实际缴费年限。")
    day = to_date(on, "退休日期")
    store = get_store()
    rule_region, rule, inherited = years_rule_for(asked, sex, day)
    total_rule = next(r for r in (rule, *inherited) if r.total_years is not None)
    required_total = total_rule.total_years
    required_local = rule.local_years
    counted = total + deemed
    fallback = rule_region.code != asked.code
    is_fallback_rule = rule.status == "fallback" or total_rule.status == "fallback"
    phasing = rule.status == "phasing_in" or total_rule.status == "phasing_in"

    steps: list[str] = []
    notes: list[str] = []
    who = SEX_LABELS[sex]
    if is_fallback_rule:
        steps.append(
            f"未收录到{asked.name}的地方规定，按常见的“男30年、女25年”估算"
            "（社会保险法只规定“国家规定年限”，全国没有统一数字）。"
        )
    elif fallback:
        steps.append(f"{asked.name}没有单独的规定，按{rule_region.name}的规定。")
    if inherited and total_rule is not rule and not is_fallback_rule:
        owner = _owner(total_rule)
        steps.append(f"{rule_region.name}未规定累计年限，按{owner}的{fmt_number(required_total)}年。")
    if phasing:
        steps.append(
            f"{_owner(total_rule)}的年限正在逐年提高，目标为{who}性{fmt_number(required_total)}年；"
            "当年的过渡标准可能更低，这里按目标年限从严计算。"
        )
    else:
        steps.append(f"{who}性需累计缴费满 {fmt_number(required_total)} 年。")
    steps.append(
        f"累计年限：实际缴费 {fmt_number(total)} 年 + 视同缴费 {fmt_number(deemed)} 年 = "
        f"{fmt_number(counted)} 年。"
    )
    short_total = max(ZERO, required_total - counted)
    steps.append(
        f"累计年限已满足（{fmt_number(counted)} ≥ {fmt_number(required_total)}）。"
        if not short_total
        else f"累计年限还差 {fmt_number(required_total)} − {fmt_number(counted)} = {fmt_number(short_total)} 年。"
    )
    short_local = None
    estimated = is_fallback_rule or phasing
    if required_local is not None:
        extra = f"（{rule.local_years_note}）" if rule.local_years_note else ""
        steps.append(f"其中在本地实际缴费需满 {fmt_number(required_local)} 年{extra}。")
        local_used = local
        if local_used is None:
            local_used = total
            estimated = True
            notes.append("您没有填写本地实际缴费年限，这里假设全部实际缴费都在本地。")
        short_local = max(ZERO, required_local - local_used)
        steps.append(
            f"本地实际缴费 {fmt_number(local_used)} 年，"
            + ("已满足。" if not short_local else f"还差 {fmt_number(short_local)} 年。")
        )
    met = not short_total and not short_local
    if met:
        steps.append("结论：达到规定年限，退休后不再缴纳职工医保费，按规定享受医保待遇。")
    else:
        gap = max(short_total, short_local or ZERO)
        steps.append(f"结论：未达到规定年限，还差 {fmt_number(gap)} 年；可选择的办法见下。")
    for r in dict.fromkeys((rule, total_rule)):
        if r.note:
            notes.append(r.note)
    options = () if met else tuple(_options(store.years_options, short_total, short_local))
    rules_used = list(dict.fromkeys((rule, total_rule)))
    source_ids = list(dict.fromkeys(i for r in rules_used for i in r.source_ids))
    return YearsResult(
        region=asked, rule_region=rule_region, on=day, sex=sex, total_years=total,
        local_years=local, deemed_years=deemed, counted_total=counted,
        required_total=required_total, required_local=required_local,
        short_total=short_total, short_local=short_local, met=met, phasing_in=phasing,
        fallback=fallback or is_fallback_rule, estimated=estimated,
        confidence=weakest(r.confidence for r in rules_used), options=options,
        steps=tuple(steps), sources=tuple(store.sources_for(source_ids)), notes=tuple(notes),
    )  # fmt: skip


def _owner(rule: YearsRule) -> str:
    store = get_store()
    region = store.regions[rule.region_code]
    return "全国通行做法" if region.code == NATIONAL_CODE else region.name


def _options(options: list[YearsOption], short_total: Decimal, short_local: Decimal | None):
    store = get_store()
    gap = max(short_total, short_local or ZERO)
    for option in options:
        yield YearsOptionResult(
            option_id=option.option_id,
            title=option.title,
            explanation=option.explanation.replace("{gap}", fmt_number(gap)),
            sources=tuple(store.sources_for(option.source_ids)),
        )
