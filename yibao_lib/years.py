"""Minimum contribution years to stop paying at retirement (退休后免缴的最低缴费年限).

社会保险法 第二十七条: whoever retires with the contribution years "国家规定年限" pays no more;
there is no single national number, so each pooling area sets its own (data/min_years.csv). A rule
can ask for three things, each checked separately:

- ``total_years``: years in all, actual + deemed (视同缴费年限);
- ``actual_years``: of these, years actually paid anywhere (天津: at least 5; 重庆: 10);
- ``local_years``: years actually paid where the benefits are drawn (湖南: 10 in 2023 rising to 15
  in 2028; 广东: 10 in the city).

The rule is the pooling area's: the place's own rows first, then up the chain (a county uses its
prefecture's rows, a prefecture its province's, then the national fallback); a requirement a row
leaves blank is taken from further up (成都 sets local years only, the total is 四川's). Where a
city has a row per year of a phase-in (清远 16 → 30), the retirement date picks the row. Without any
local rule the seeds' general men 30 / women 25 is used, labelled as a fallback.
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

    ``total_years`` is the person's years actually paid (anywhere), ``deemed_years`` their deemed
    years, ``counted_total`` the two together. ``met`` compares ``counted_total`` with
    ``required_total``, the actual years with ``required_actual`` and the local actual years with
    ``required_local`` where the rule sets them (``None``: no such requirement). ``rule_region``
    is the place whose own rows apply. ``phasing_in`` marks a rule still rising toward its target
    whose yearly step is not known (then the target is used and ``estimated`` is True).
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
    required_actual: Decimal | None = None
    short_actual: Decimal | None = None
    local_years_note: str | None = None

    @property
    def sex_label(self) -> str:
        return SEX_LABELS[self.sex]

    @property
    def actual_years(self) -> Decimal:
        """The person's years actually paid (the same figure as ``total_years``)."""
        return self.total_years

    @property
    def local_label(self) -> str:
        """Where the local years must have been paid, in a few words: 在本市 / 在本省 / the
        rule's own wording (在退休后待遇享受地（本市）)."""
        note = (self.local_years_note or "").removesuffix("实际缴费年限").removesuffix("实际缴费")
        if note:
            return note
        return "在本市" if self.rule_region.level != "province" else "在本省"

    @property
    def shortfalls(self) -> tuple[Shortfall, ...]:
        """Each requirement not met, with what is needed and what the person has."""
        return tuple(s for s in self.requirements if s.short)

    @property
    def requirements(self) -> tuple[Shortfall, ...]:
        """Every requirement of the rule (met or not), in the same form, for a progress chart."""
        local_have = self.local_years if self.local_years is not None else self.total_years
        parts = [
            ("total", "累计", self.required_total, self.counted_total),
            ("actual", "实际缴费（不含视同）", self.required_actual, self.total_years),
            ("local", f"{self.local_label}实际缴费", self.required_local, local_have),
        ]
        return tuple(Shortfall(kind, label, need, have, max(need - have, Decimal(0)))
                     for kind, label, need, have in parts if need is not None)  # fmt: skip

    @property
    def gap(self) -> Decimal:
        """The most years still missing under any one requirement (0 when met)."""
        return max((s.short for s in self.shortfalls), default=Decimal(0))


@dataclass(frozen=True)
class Shortfall:
    """One requirement: ``required`` years of a ``kind`` (total / actual / local), ``have``, and
    ``short`` (how many are missing, 0 if met)."""

    kind: str
    label: str
    required: Decimal
    have: Decimal
    short: Decimal


@dataclass(frozen=True)
class YearsRequirement:
    """The rule in force for one place, sex and day, put together up the chain.

    ``own`` is the first row found (of ``rule_region``); ``total``, ``actual`` and ``local`` are
    the rows each requirement comes from (``None`` where no row up the chain sets it)."""

    rule_region: Region
    own: YearsRule
    total: YearsRule
    actual: YearsRule | None
    local: YearsRule | None
    not_in_force: tuple[tuple[Region, tuple[YearsRule, ...]], ...]  # passed over: no row that day

    @property
    def rules(self) -> list[YearsRule]:
        """Every row the answer rests on, once, in chain order."""
        rows = (self.own, self.total, self.actual, self.local)
        return list(dict.fromkeys(r for r in rows if r is not None))


def years_requirement(region: Region, sex: str, day: date) -> YearsRequirement:
    """The requirement for ``sex`` retiring on ``day`` in ``region``: its own rows, else its
    parents', else the national fallback; each blank figure taken from further up."""
    store = get_store()
    found: list[tuple[Region, YearsRule]] = []
    passed: list[tuple[Region, tuple[YearsRule, ...]]] = []
    for candidate in store.chain(region):
        rows = [r for r in store.years_rules.get(candidate.code, ()) if r.sex == sex]
        current = [r for r in rows if r.in_force_on(day)]
        if current:
            found.append((candidate, current[-1]))
        elif rows and not found:
            passed.append((candidate, tuple(rows)))
    total = next((rule for _, rule in found if rule.total_years is not None), None)
    if total is None:
        raise DataError("min_years.csv", None, "region_code", f"{day} 没有全国兜底的最低缴费年限")
    actual = next((rule for _, rule in found if rule.actual_years is not None), None)
    local = next((rule for _, rule in found if rule.local_years is not None), None)
    rule_region, own = found[0]
    return YearsRequirement(rule_region, own, total, actual, local, tuple(passed))


def years_rule_for(region: Region, sex: str, day: date) -> tuple[Region, YearsRule, list[YearsRule]]:
    """(region whose rule applies, its row, rows further up it takes figures from)."""
    req = years_requirement(region, sex, day)
    return req.rule_region, req.own, [r for r in req.rules if r is not req.own]


def minimum_years_check(
    region: str | int | Region,
    sex: str,
    total_years=None,
    *,
    actual_years=None,
    local_years=None,
    deemed_years=0,
    on: date | str | None = None,
) -> YearsResult:
    """Check a person's years against the rule of ``region`` for ``sex`` (male/female/男/女)
    retiring on ``on`` (default today).

    ``total_years`` (or, by its clearer name, ``actual_years``: give one of the two) is the years
    actually paid anywhere, ``deemed_years`` the deemed years (视同缴费年限) on top, and
    ``local_years`` the years actually paid where benefits are drawn (not given: assumed to be all
    of the actual years, and the result says so)."""
    asked = find_region(region)
    sex = to_sex(sex)
    actual = _person_actual(total_years, actual_years)
    deemed = ZERO if deemed_years in (None, "") else to_years(deemed_years, "视同缴费年限")
    local = None if local_years in (None, "") else to_years(local_years, "本地实际缴费年限")
    if local is not None and local > actual:
        raise YibaoInputError("本地实际缴费年限不能超过累计实际缴费年限。")
    day = to_date(on, "退休日期")
    store = get_store()
    req = years_requirement(asked, sex, day)
    rule_region, rule, total_rule = req.rule_region, req.own, req.total
    required_total = total_rule.total_years
    required_actual = req.actual.actual_years if req.actual else None
    required_local = req.local.local_years if req.local else None
    counted = actual + deemed
    fallback = rule_region.code != asked.code
    is_fallback_rule = rule.status == "fallback" or total_rule.status == "fallback"
    phasing = rule.status == "phasing_in" or total_rule.status == "phasing_in"

    steps: list[str] = []
    notes: list[str] = []
    who = SEX_LABELS[sex]
    steps += [_passed_over(r, rows, day) for r, rows in req.not_in_force]
    passed = {r.code for r, _ in req.not_in_force}
    if rule.status == "fallback":
        steps.append(_national_fallback(asked, rule_region))
    else:
        steps.append(whose_rule(asked, rule_region, rule, passed))
        if total_rule.status == "fallback":
            steps.append(
                f"{rule_region.name}的规定没有写累计缴费年限，上级的规定也未收录，按常见的“男30年、女25年”估算"
                "（社会保险法只规定“国家规定年限”，全国没有统一数字）。"
            )
        elif total_rule is not rule:
            steps.append(
                f"{rule_region.name}的规定没有写累计缴费年限，按{_owner(total_rule)}的规定："
                f"{fmt_number(required_total)}年。"
            )
    if phasing:
        steps.append(
            f"{_owner(total_rule)}的年限正在逐年提高，目标为{who}性{fmt_number(required_total)}年；"
            "当年的过渡标准可能更低，这里按目标年限从严计算。"
        )
    else:
        steps.append(f"{who}性需累计缴费满 {fmt_number(required_total)} 年（实际缴费加视同缴费）。")
        rising = _later_change(total_rule, "total_years")
        if rising is not None:
            steps.append(
                f"{_owner(total_rule)}的年限逐年调整：{day.year}年退休需满{fmt_number(required_total)}年，"
                f"{rising.since_text()}为{fmt_number(rising.total_years)}年。"
            )
    steps.append(
        f"累计年限：实际缴费 {fmt_number(actual)} 年 + 视同缴费 {fmt_number(deemed)} 年 = "
        f"{fmt_number(counted)} 年。"
    )
    short_total = max(ZERO, required_total - counted)
    steps.append(
        f"累计年限已满足（{fmt_number(counted)} ≥ {fmt_number(required_total)}）。"
        if not short_total
        else f"累计年限还差 {fmt_number(required_total)} − {fmt_number(counted)} = {fmt_number(short_total)} 年。"
    )

    short_actual = None
    if required_actual is not None:
        if req.actual is not rule:
            steps.append(
                f"{rule_region.name}的规定没有写实际缴费年限，按{_owner(req.actual)}的规定。"
            )
        steps.append(f"其中实际缴费（不含视同缴费）需满 {fmt_number(required_actual)} 年。")
        short_actual = max(ZERO, required_actual - actual)
        steps.append(
            f"实际缴费 {fmt_number(actual)} 年，"
            + ("已满足。" if not short_actual else f"还差 {fmt_number(short_actual)} 年（视同缴费年限不能抵）。")
        )

    short_local = None
    estimated = is_fallback_rule or phasing
    local_note = None
    if required_local is not None:
        local_rule = req.local
        local_note = local_rule.local_years_note
        if local_rule is not rule:
            steps.append(
                f"{rule_region.name}的规定没有写本地实际缴费年限，按{_owner(local_rule)}的规定。"
            )
        extra = f"（{local_note}）" if local_note else ""
        steps.append(f"其中在本地实际缴费需满 {fmt_number(required_local)} 年{extra}。")
        local_rising = _later_change(local_rule, "local_years")
        if local_rising is not None:
            steps.append(
                f"{_owner(local_rule)}的本地年限逐年调整：{local_rising.since_text()}为"
                f"{fmt_number(local_rising.local_years)}年。"
            )
        local_used = local
        if local_used is None:
            local_used = actual
            estimated = True
            notes.append("您没有填写本地实际缴费年限，这里假设全部实际缴费都在本地。")
        short_local = max(ZERO, required_local - local_used)
        steps.append(
            f"本地实际缴费 {fmt_number(local_used)} 年，"
            + ("已满足。" if not short_local else f"还差 {fmt_number(short_local)} 年。")
        )
    gap = max(short_total, short_actual or ZERO, short_local or ZERO)
    met = not gap
    if met:
        steps.append("结论：达到规定年限，退休后不再缴纳职工医保费，按规定享受医保待遇。")
    else:
        steps.append(f"结论：未达到规定年限，还差 {fmt_number(gap)} 年；可选择的办法见下。")
    rules_used = req.rules
    for r in rules_used:
        if r.note and r.note not in notes:
            notes.append(r.note)
    options = () if met else tuple(_options(store.years_options, gap))
    source_ids = list(dict.fromkeys(i for r in rules_used for i in r.source_ids))
    return YearsResult(
        region=asked, rule_region=rule_region, on=day, sex=sex, total_years=actual,
        local_years=local, deemed_years=deemed, counted_total=counted,
        required_total=required_total, required_local=required_local,
        short_total=short_total, short_local=short_local, met=met, phasing_in=phasing,
        fallback=fallback or is_fallback_rule, estimated=estimated,
        confidence=weakest(r.confidence for r in rules_used), options=options,
        steps=tuple(steps), sources=tuple(store.sources_for(source_ids)), notes=tuple(notes),
        required_actual=required_actual, short_actual=short_actual, local_years_note=local_note,
    )  # fmt: skip


TIMELINE_YEARS = range(2023, 2031)


@dataclass(frozen=True)
class YearRequirement:
    """The requirement for retiring on ``on`` (1 June of ``year``): :func:`minimum_years_check`
    of someone with no years yet, so ``result`` carries its steps and sources."""

    year: int
    result: YearsResult

    @property
    def on(self) -> date:
        return self.result.on

    @property
    def required_total(self) -> Decimal:
        return self.result.required_total

    @property
    def required_local(self) -> Decimal | None:
        return self.result.required_local

    @property
    def phasing_in(self) -> bool:
        return self.result.phasing_in


@dataclass(frozen=True)
class RequirementTimeline:
    """The minimum years of one place and sex, year by year (as on 1 June of each year)."""

    region: Region
    sex: str
    rows: tuple[YearRequirement, ...]

    @property
    def changing(self) -> bool:
        """The total or local years required differ between the years."""
        return len({(r.required_total, r.required_local) for r in self.rows}) > 1

    @property
    def phasing(self) -> bool:
        """Some year's rule is still rising toward a target whose yearly step is not known."""
        return any(r.phasing_in for r in self.rows)

    @property
    def worth_showing(self) -> bool:
        """The table says more than the single answer: the rule changes or is phasing in."""
        return self.changing or self.phasing

    @property
    def has_local(self) -> bool:
        return any(r.required_local is not None for r in self.rows)

    @property
    def latest(self) -> YearsResult:
        return self.rows[-1].result

    @property
    def sex_label(self) -> str:
        return SEX_LABELS[self.sex]

    def covers(self, year: int) -> bool:
        return any(r.year == year for r in self.rows)


def requirement_by_year(region: str | int | Region, sex: str,
                        years=TIMELINE_YEARS) -> RequirementTimeline:  # fmt: skip
    """The requirement in ``region`` for ``sex`` for each of ``years`` (as on 1 June)."""
    asked = find_region(region)
    sex = to_sex(sex)
    rows = tuple(
        YearRequirement(year, minimum_years_check(asked, sex, 0, on=date(year, 6, 1)))
        for year in years
    )
    return RequirementTimeline(asked, sex, rows)


def years_headline(result: YearsResult) -> str:
    """One line in plain Chinese: met, or what is short and by how much."""
    n = fmt_number
    estimate = (
        f"按{n(result.required_total)}年估算，" if result.estimated and result.fallback else ""
    )
    if result.met:
        return (
            f"已达到：{estimate}累计 {n(result.counted_total)} 年，需 {n(result.required_total)} 年"
        )
    gaps = [
        f"{s.label}还差 {n(s.short)} 年（需 {n(s.required)} 年，已有 {n(s.have)} 年）"
        for s in result.shortfalls
    ]
    return "未达到：" + estimate + "；".join(gaps)


def _person_actual(total_years, actual_years) -> Decimal:
    """The person's actual years, from ``total_years`` or ``actual_years`` (one, or both equal)."""
    what = "累计实际缴费年限"
    given = [to_years(v, what) for v in (total_years, actual_years) if v is not None]
    if not given:
        raise YibaoInputError("请填写累计实际缴费年限（不含视同缴费年限）。")
    if len(given) == 2 and given[0] != given[1]:
        raise YibaoInputError(
            f"累计实际缴费年限填了两个不同的数（{fmt_number(given[0])} 和 {fmt_number(given[1])}），请只填一个。"
        )
    return given[0]


def whose_rule(asked: Region, rule_region: Region, rule: YearsRule, passed=frozenset()) -> str:
    """The first step: whose rule applies to the place asked about, and since when.

    按天津市的规定 / 昆山市属苏州市，按苏州市的规定 / 佛山市没有单独的规定，按广东省的规定.
    ``passed``: codes of places whose rows exist but none is in force that day."""
    since = f"（{_period(rule)}）"
    if rule_region.code == asked.code:
        return f"按{asked.name}的规定{since}。"

    def none(region: Region) -> str:
        return "那时没有单独的规定" if region.code in passed else "没有单独的规定"

    store = get_store()
    parent = store.regions.get(asked.parent_code or "")
    if asked.level == "county" and parent is not None and (
        parent.level == "city" or parent.kind == "直辖市"
    ):
        if parent.code == rule_region.code:
            head = f"{asked.name}属{parent.name}"
            if asked.code in passed:
                head += f"，{asked.name}{none(asked)}"
            return f"{head}，按{parent.name}的规定{since}。"
        return (
            f"{asked.name}属{parent.name}；{parent.name}{none(parent)}，"
            f"按{rule_region.name}的规定{since}。"
        )
    if asked.level == "county" and parent is not None and parent.code == rule_region.code:
        return f"{asked.name}由{parent.name}直接管辖，{none(asked)}，按{rule_region.name}的规定{since}。"
    return f"{asked.name}{none(asked)}，按{rule_region.name}的规定{since}。"


def _national_fallback(asked: Region, rule_region: Region) -> str:
    store = get_store()
    chain = store.chain(asked)
    places = [r for r in chain[: chain.index(rule_region)] if not r.is_national] or [asked]
    return (
        f"未收录到{'、'.join(r.name for r in places)}的地方规定，按常见的“男30年、女25年”估算"
        "（社会保险法只规定“国家规定年限”，全国没有统一数字）。"
    )


def _period(rule: YearsRule) -> str:
    """2026年1月1日起 / 2021年12月1日至2025年12月31日 / 起始日期不详."""
    if rule.effective_to is None:
        return rule.since_text()
    end = rule.effective_to
    until = f"{end.year}年{end.month}月{end.day}日"
    if rule.effective_from is None:
        return f"起始日期不详，至{until}"
    return rule.since_text().removesuffix("起") + f"至{until}"


def _passed_over(region: Region, rows: tuple[YearsRule, ...], day: date) -> str:
    """江门市收录的规定2026年1月1日起才执行，不适用于2025年6月1日退休."""
    later = [r for r in rows if r.effective_from is not None and r.effective_from > day]
    earlier = [r for r in rows if r.effective_to is not None and r.effective_to < day]
    parts = []
    if later:
        first = min(later, key=lambda r: r.effective_from)
        parts.append(f"{first.since_text()}才执行")
    if earlier:
        end = max(r.effective_to for r in earlier)
        parts.append(f"已于{end.year}年{end.month}月{end.day}日结束")
    when = "，".join(parts) or "不在这个日期"
    return f"{region.name}收录的规定{when}，不适用于{day.year}年{day.month}月{day.day}日退休。"


def _later_change(rule: YearsRule, field: str) -> YearsRule | None:
    """The last row of the same place and sex starting after ``rule`` when its ``field``
    differs: where a yearly phase-in leads (清远 2026 → 21 years, 2030 → 30)."""
    if rule.effective_to is None:
        return None
    rows = get_store().years_rules.get(rule.region_code, ())
    later = [r for r in rows if r.sex == rule.sex and r.effective_from is not None
             and r.effective_from > rule.effective_to and getattr(r, field) is not None]  # fmt: skip
    if not later:
        return None
    last = max(later, key=lambda r: r.effective_from)
    return last if getattr(last, field) != getattr(rule, field) else None


def _owner(rule: YearsRule) -> str:
    store = get_store()
    region = store.regions[rule.region_code]
    return "全国通行做法" if region.code == NATIONAL_CODE else region.name


def _options(options: list[YearsOption], gap: Decimal):
    store = get_store()
    for option in options:
        yield YearsOptionResult(
            option_id=option.option_id,
            title=option.title,
            explanation=option.explanation.replace("{gap}", fmt_number(gap)),
            sources=tuple(store.sources_for(option.source_ids)),
        )
