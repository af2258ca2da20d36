"""Monthly credit to the employee medical insurance personal account (医保个人账户每月划入).

Rules (see data/credit_rules.csv and data/worker_rules.csv, each row with its source):

* Retirees (退休人员): since the 2021 reform (国办发〔2021〕14号) the pooled fund credits a fixed
  monthly amount, phased toward about 2% of the regional average basic pension in the reform
  year. Each region sets its own figure: a fixed amount (北京, 深圳 …), amounts by age band
  (上海, 北京 …) or a share of an average pension (广东 2.8%, 江苏 2.5% …). A city without a rule
  of its own uses its province's; a province without one falls back to the national ≈2%, and the
  result then says it is an estimate.
* In-service employees (在职职工): the employee's own contribution, in principle 2% of the
  contribution base, goes to the account; the employer's share goes to the pooled fund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import DataError, MissingInputError, YibaoInputError
from .inputs import (
    fmt_number,
    fmt_rate,
    fmt_yuan,
    to_age,
    to_count,
    to_date,
    to_decimal,
    to_money,
    yuan,
)  # fmt: skip
from .model import CONFIDENCE_LABELS, METHOD_LABELS, AveragePension, CreditRule, Region, Source
from .regions import find_region, pooling_area
from .results import _WEAKNESS, Explained, weakest
from .store import NATIONAL_CODE, get_store, in_force

ZERO = Decimal(0)
MONTHS = Decimal(12)
MAX_AVG_PENSION = Decimal(100000)
MAX_BASE = Decimal(1000000)


@dataclass(frozen=True)
class Alternative:
    """A competing or sub-group figure for the same region: shown, never silently merged."""

    label: str
    monthly_gross: Decimal | None
    monthly_net: Decimal | None
    confidence: str
    sources: tuple[Source, ...]
    note: str | None
    applies_to: str | None = None


@dataclass(frozen=True)
class CreditResult(Explained):
    """How much goes into the personal account each month, and why.

    ``monthly_net`` is what reaches the account; ``monthly_gross`` is before the named local
    deduction (``deduction_name``, e.g. 北京 大额互助 3 元). ``estimated`` is True when the figure
    rests on the national default or on any guess; ``fallback`` when a parent region's rule applied.
    """

    region: Region
    rule_region: Region
    on: date
    age: int | None
    method: str
    monthly_gross: Decimal
    monthly_net: Decimal
    yearly_gross: Decimal
    yearly_net: Decimal
    rate: Decimal | None
    base: Decimal | None
    base_label: str | None
    deduction_name: str | None
    deduction_amount: Decimal | None
    confidence: str
    estimated: bool
    fallback: bool
    steps: tuple[str, ...]
    sources: tuple[Source, ...]
    notes: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    rule_ids: tuple[str, ...]
    checked_on: date
    base_origin: str | None = None  # user / rule / published: where the average pension came from
    base_region: Region | None = None  # whose published average was used
    base_year: int | None = None
    rule_note: str = ""  # whose rule applied to the place asked, in a sentence (the first step)

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def has_deduction(self) -> bool:
        return self.monthly_gross != self.monthly_net


def retiree_monthly_credit(
    region: str | int | Region,
    age: int,
    *,
    on: date | str | None = None,
    avg_pension: Decimal | float | int | str | None = None,
) -> CreditResult:
    """The monthly credit of a retiree of ``age`` in ``region`` on date ``on`` (default today).

    The rule is the pooling area's: a county uses its prefecture's row, a prefecture without one
    its province's, a province without one the national ≈2%; the steps say whose rule applied.
    A share rule takes the average pension from ``avg_pension`` when given, else from the
    published averages in ``data/avg_pensions.csv`` (the result is marked estimated when that
    average is not the pooling area's own for the rule's year, or comes from a weak source);
    with none at all, :class:`MissingInputError` names the figure and the place.
    """
    asked = find_region(region)
    age = to_age(age)
    day = to_date(on, "查询日期")
    avg = _optional_money(avg_pension, "平均养老金", MAX_AVG_PENSION)
    store = get_store()
    rule_region, rules = _primary_rules(asked, day)
    rule = next((r for r in rules if r.covers_age(age)), None)
    if rule is None:
        raise DataError("credit_rules.csv", rules[0].row, "age_min", f"{rule_region.name}的规则没有覆盖{age}岁")

    steps = [whose_rule(asked, rule_region, rule)]
    notes: list[str] = []
    fallback = rule_region.code != asked.code
    national = rule_region.code == NATIONAL_CODE
    base = _base_for(rule, asked, rule_region, avg)
    figures = _compute(rule, age, base, steps)
    gross, net, yearly_gross, yearly_net = figures
    estimated = national or (base is not None and base.estimated)
    if rule.deduction_name and rule.deduction_amount is None:
        estimated = True
        notes.append(f"来源说明此金额为扣除前金额，但未给出{rule.deduction_name}的金额，实际到账可能略少。")
    if rule.note:
        notes.append(rule.note)
    if asked.note:
        notes.append(asked.note)
    if base is not None:
        notes.extend(base.notes)

    alternatives = tuple(_alternatives(asked, rule_region, day, age, avg))
    rows_sources = list(rule.source_ids) + (list(base.source_ids) if base else [])
    sources = tuple(store.sources_for(dict.fromkeys(rows_sources)))
    confidence = weakest([rule.confidence, *([base.confidence] if base and base.confidence else [])])
    return CreditResult(
        region=asked, rule_region=rule_region, on=day, age=age, method=rule.method,
        monthly_gross=gross, monthly_net=net, yearly_gross=yearly_gross, yearly_net=yearly_net,
        rate=rule.rate, base=base.amount if base else None, base_label=rule.pension_base,
        deduction_name=rule.deduction_name, deduction_amount=rule.deduction_amount,
        confidence=confidence, estimated=estimated, fallback=fallback, steps=tuple(steps),
        sources=sources, notes=tuple(notes), alternatives=alternatives,
        rule_ids=(rule.rule_id,), checked_on=rule.checked_on,
        base_origin=base.origin if base else None,
        base_region=base.region if base else None, base_year=base.year if base else None,
        rule_note=steps[0],
    )  # fmt: skip


@dataclass(frozen=True)
class AveragePensionNeed:
    """Whether the retiree rule that applies takes a share of an average pension.

    ``applies``: the rule is a share of an average pension, so a typed average changes the
    answer (an app offers the input). ``required``: it applies and the library has no figure of
    its own (published or stated with the rule), so without a typed average there is no answer.
    ``what`` is the rule's name for the average (上年度全省企业退休人员月人均基本养老金)."""

    region: Region
    rule_region: Region
    on: date
    age: int
    applies: bool
    required: bool
    what: str | None = None


def average_pension_need(region: str | int | Region, age: int, *,
                         on: date | str | None = None) -> AveragePensionNeed:  # fmt: skip
    """Whether the rule of ``region`` at ``age`` on ``on`` needs an average pension, and whether
    it must be typed (see :class:`AveragePensionNeed`)."""
    asked = find_region(region)
    age = to_age(age)
    day = to_date(on, "查询日期")
    rule_region, rules = _primary_rules(asked, day)
    rule = next((r for r in rules if r.covers_age(age)), None)
    if rule is None or rule.method != "pension_share":
        return AveragePensionNeed(asked, rule_region, day, age, False, False)
    try:
        _base_for(rule, asked, rule_region, None)
        required = False
    except MissingInputError:
        required = True
    return AveragePensionNeed(asked, rule_region, day, age, True, required,
                              rule.pension_base or "平均养老金")  # fmt: skip


@dataclass(frozen=True)
class RetireeAnswer:
    """What the retiree app shows for one set of inputs, from one call.

    ``need`` says whether an average pension applies (offer the input) or is required;
    ``avg_pension`` is the typed average that was applied (``None``: it does not apply here, or
    none was typed). ``credit`` is the result, or ``None`` when an average is required and was
    not typed; ``missing`` then says in Chinese what to type."""

    need: AveragePensionNeed
    credit: CreditResult | None
    avg_pension: Decimal | None
    missing: str | None = None


def retiree_answer(
    region: str | int | Region,
    age: int,
    *,
    on: date | str | None = None,
    avg_pension: Decimal | float | int | str | None = None,
) -> RetireeAnswer:
    """:func:`retiree_monthly_credit` with the average pension applied only where the rule
    takes one (a typed average is ignored for a fixed amount, and not even parsed), and the
    need for it said (:class:`AveragePensionNeed`). A typed average the rules refuse raises
    :class:`YibaoInputError` naming it; a required one not typed gives ``credit=None``."""
    need = average_pension_need(region, age, on=on)
    avg = _optional_money(avg_pension, "平均养老金", MAX_AVG_PENSION) if need.applies else None
    try:
        credit = retiree_monthly_credit(need.region, need.age, on=need.on, avg_pension=avg)
    except MissingInputError as exc:
        return RetireeAnswer(need, None, None, str(exc))
    return RetireeAnswer(need, credit, avg)


CURVE_AGES = range(50, 101)


@dataclass(frozen=True)
class CreditCurve:
    """A retiree's monthly credit (what reaches the account) at each age in one region.

    ``ages`` and ``monthly_net`` are the ages with a figure and their credits; ``rule_region``
    is whose rule applies (at the first age), ``fallback`` when that is not the region asked.
    ``missing`` says why ages are left out when an average pension is needed and not known."""

    region: Region
    rule_region: Region
    on: date
    avg_pension: Decimal | None
    ages: tuple[int, ...]
    monthly_net: tuple[Decimal, ...]
    rule_ids: tuple[str, ...]
    missing: str | None = None

    @property
    def fallback(self) -> bool:
        return self.rule_region.code != self.region.code

    @property
    def complete(self) -> bool:
        """Every age asked for has a figure."""
        return self.missing is None

    def at(self, age: int) -> Decimal | None:
        """The credit at ``age``, or None where the curve has no figure."""
        try:
            return self.monthly_net[self.ages.index(age)]
        except ValueError:
            return None


def credit_by_age(
    region: str | int | Region,
    *,
    on: date | str | None = None,
    avg_pension: Decimal | float | int | str | None = None,
    ages=CURVE_AGES,
) -> CreditCurve:
    """The monthly credit at each of ``ages`` (default 50–100) in ``region`` on ``on``: the same
    figures as :func:`retiree_monthly_credit` age by age, worked out once per rule row (ages in
    one band share their figure). Ages no rule row covers are left out; so are ages whose share
    rule needs an average pension that is neither given nor published (``missing`` says so)."""
    asked = find_region(region)
    day = to_date(on, "查询日期")
    avg = _optional_money(avg_pension, "平均养老金", MAX_AVG_PENSION)
    rule_region, rules = _primary_rules(asked, day)
    figures: dict[str, Decimal | MissingInputError] = {}
    kept_ages, nets, ids = [], [], []
    missing = None
    for age in ages:
        age = to_age(age)
        rule = next((r for r in rules if r.covers_age(age)), None)
        if rule is None:
            continue
        if rule.rule_id not in figures:
            try:
                base = _base_for(rule, asked, rule_region, avg)
                figures[rule.rule_id] = _compute(rule, age, base, [])[1]
            except MissingInputError as exc:
                figures[rule.rule_id] = exc
        figure = figures[rule.rule_id]
        if isinstance(figure, MissingInputError):
            missing = missing or str(figure)
            continue
        kept_ages.append(age)
        nets.append(figure)
        ids.append(rule.rule_id)
    return CreditCurve(asked, rule_region, day, avg, tuple(kept_ages), tuple(nets), tuple(ids),
                       missing)  # fmt: skip


def whose_rule(asked: Region, rule_region: Region, rule: CreditRule | None = None) -> str:
    """The first step of every answer: whose rule applies to the place typed, and why.

    昆山市属苏州市，按苏州市的规定 / 佛山市没有单独的数字，按广东省的规定 / 全国指导意见。"""
    store = get_store()
    chain = store.chain(asked)
    since = ""
    if rule is not None:
        since = "（起始日期不详）" if rule.effective_from is None else f"（{rule.since_text()}执行）"
    if rule_region.code == asked.code:
        return f"按{asked.name}的规定计算{since}。"
    between = chain[1 : chain.index(rule_region)] if rule_region in chain else []
    parent = chain[1] if len(chain) > 1 else rule_region
    if rule_region.code == NATIONAL_CODE:
        missing = "、".join(r.name for r in [asked, *between])
        return (
            f"{missing}都没有收录到地方规定，按全国指导意见估算"
            "（国办发〔2021〕14号：约为改革当年当地平均基本养老金的2%）。"
        )
    if asked.level == "county" and (parent.level == "city" or parent.kind == "直辖市"):
        if parent.code == rule_region.code:
            return f"{asked.name}属{parent.name}，按{parent.name}的规定计算{since}。"
        return (
            f"{asked.name}属{parent.name}；{parent.name}没有单独的数字，"
            f"按{rule_region.name}的规定计算{since}。"
        )
    if asked.level == "county":
        return f"{asked.name}由{rule_region.name}直接管辖，没有单独的数字，按{rule_region.name}的规定计算{since}。"
    return f"{asked.name}没有单独的数字，按{rule_region.name}的规定计算{since}。"


def share_of_pension(avg_pension, rate) -> Decimal:
    """``avg_pension × rate`` rounded to the fen: the seeds' example 3700 × 3% = 111.00."""
    avg = to_money(avg_pension, "平均养老金", maximum=MAX_AVG_PENSION)
    share = to_decimal(rate, "比例")
    if not Decimal(0) < share < Decimal(1):
        raise YibaoInputError("比例应在 0 到 1 之间，例如 3% 写作 0.03。")
    return yuan(avg * share)


def _optional_money(value, what: str, maximum: Decimal) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return to_money(value, what, maximum=maximum)


def _primary_rules(asked: Region, day: date) -> tuple[Region, list[CreditRule]]:
    store = get_store()
    for candidate in store.chain(asked):
        rules = [r for r in in_force(store.credit_rules.get(candidate.code, ()), day) if r.variant == "primary"]
        if rules:
            return candidate, rules
    raise YibaoInputError(
        f"{day:%Y年%m月%d日}早于2021年职工医保门诊共济改革，本工具只计算改革后的划入标准，请改选较近的日期。"
    )


@dataclass(frozen=True)
class PensionBase:
    """The average pension a share rule was applied to, and where it came from.

    ``origin``: ``user`` (typed in), ``rule`` (stated with the rule) or ``published`` (a row of
    avg_pensions.csv, of ``region`` and ``year``). ``estimated`` when it is not the pooling area's
    own figure for the rule's year, or its source is weak."""

    amount: Decimal
    origin: str
    text: str  # how the step names it: 您输入的 / 贵州省2022年企业退休人员月人均基本养老金
    estimated: bool
    notes: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    confidence: str | None = None
    region: Region | None = None
    year: int | None = None


def _base_for(rule: CreditRule, asked: Region, rule_region: Region,
              avg: Decimal | None) -> PensionBase | None:  # fmt: skip
    """Which average pension a share rule uses here, or None for a fixed amount."""
    if rule.method != "pension_share":
        return None
    if avg is not None:
        return PensionBase(avg, "user", "您输入的", False,
                           ("平均养老金由您输入，结果随之变化；请以当地公布的数字为准。",))  # fmt: skip
    if rule.avg_pension is not None:
        return PensionBase(rule.avg_pension, "rule", "来源给出的", False)
    store = get_store()
    area = pooling_area(asked)
    province = next((r for r in store.chain(asked) if r.level == "province"), None)
    wanted = province if rule.base_area == "province" and province else area
    places = [wanted] + [r for r in store.chain(wanted)[1:]]
    year = rule.base_year
    for place in places:
        rows = store.avg_pensions.get(place.code, ())
        if not rows:
            continue
        best = min(rows, key=lambda r: (abs(r.year - year) if year else -r.year,
                                         _WEAKNESS[r.confidence], r.covers != "all"))  # fmt: skip
        return _published_base(best, wanted, year, place, rule)
    place = wanted.name if not wanted.is_national else asked.name
    what = rule.pension_base or "平均养老金"
    whose = "按全国指导意见" if rule_region.is_national else f"{rule_region.name}的规定"
    raise MissingInputError(
        f"{whose}按{what}的{fmt_rate(rule.rate)}划入，本工具还没有收录{place}的这一平均养老金；"
        f"请输入{place}的月人均基本养老金（元/月）后再计算。",
        field="avg_pension",
    )


def _published_base(row: AveragePension, wanted: Region, year: int | None, place: Region,
                    rule: CreditRule) -> PensionBase:  # fmt: skip
    covers = "企业退休人员" if row.covers == "enterprise" else "全体退休人员"
    text = f"{place.name}{row.year}年{covers}月人均基本养老金"
    reasons = []
    if place.code != wanted.code:
        reasons.append(f"没有收录{wanted.name}的数字，改用{place.name}的")
    if year is None:
        reasons.append(f"规定没说按哪一年的平均数，用已收录的{row.year}年数字")
    elif row.year != year:
        reasons.append(f"规定按{year}年的平均数，已收录的最接近年份是{row.year}年")
    if row.confidence in ("weak", "seed", "contested"):
        reasons.append(f"这一平均数的来源可信度为“{CONFIDENCE_LABELS[row.confidence]}”")
    notes = []
    if row.covers == "enterprise" and "企业" not in (rule.pension_base or ""):
        notes.append("所用平均养老金只含企业退休人员；若当地按全体退休人员的平均数计算，实际金额会略高。")
    if reasons:
        notes.insert(0, "平均养老金为估算：" + "；".join(reasons) + "。")
    if row.note:
        notes.append(row.note)
    return PensionBase(row.amount, "published", text, bool(reasons), tuple(notes),
                       row.source_ids, row.confidence, place, row.year)  # fmt: skip


def _compute(rule: CreditRule, age: int, base: PensionBase | None, steps: list[str]):
    """Apply one rule row; append the arithmetic to ``steps``. Returns the four figures."""
    band = rule.age_band()
    if rule.method == "pension_share":
        if rule.age_max is not None or rule.age_min:
            steps.append(f"年龄{age}岁，属于“{band}”档，比例为{fmt_rate(rule.rate)}。")
        gross = yuan(base.amount * rule.rate)
        steps.append(
            f"按{rule.pension_base or '平均基本养老金'}的{fmt_rate(rule.rate)}计算："
            f"{base.text}{fmt_yuan(base.amount)} × {fmt_rate(rule.rate)} = {fmt_yuan(gross)}。"
        )
        yearly_gross = gross * MONTHS
    else:
        label = f"年龄{age}岁，属于“{band}”档，" if rule.method == "age_tiers" else ""
        amount = rule.amount
        if rule.amount_basis == "net" and rule.deduction_amount:
            amount = amount + rule.deduction_amount
            steps.append(
                f"{label}来源所列 {fmt_yuan(rule.amount)} 是扣除{rule.deduction_name}"
                f"{fmt_yuan(rule.deduction_amount)}后的到账金额，扣除前为 "
                f"{fmt_yuan(rule.amount)} + {fmt_yuan(rule.deduction_amount)} = {fmt_yuan(amount)}。"
            )
            label = ""
        if rule.unit == "year":
            gross = yuan(amount / MONTHS)
            yearly_gross = amount
            steps.append(
                f"{label}每年划入 {fmt_yuan(amount)}，按月折算：{fmt_yuan(amount)} ÷ 12 = {fmt_yuan(gross)}。"
            )
        else:
            gross = yuan(amount)
            yearly_gross = gross * MONTHS
            if label or rule.amount_basis != "net":
                steps.append(f"{label}每月划入（扣除前）{fmt_yuan(gross)}。")
    deduction = rule.deduction_amount or ZERO
    net = gross - deduction
    yearly_net = yuan(yearly_gross - deduction * MONTHS)
    if deduction:
        steps.append(
            f"每月扣除{rule.deduction_name} {fmt_yuan(deduction)}："
            f"{fmt_yuan(gross)} − {fmt_yuan(deduction)} = {fmt_yuan(net)}（实际到账）。"
        )
    if rule.unit == "year" and not deduction:
        steps.append(f"全年到账 {fmt_yuan(yearly_net)}。")
    else:
        steps.append(f"全年到账：{fmt_yuan(net)} × 12 = {fmt_yuan(yearly_net)}。")
    return gross, yuan(net), yuan(yearly_gross), yearly_net


def _alternatives(asked: Region, rule_region: Region, day: date, age: int, avg: Decimal | None):
    """Other readings in force today: contested figures of the place asked and of the rule's
    region, and figures for sub-groups (省直、灵活就业 …) anywhere up to the province."""
    store = get_store()
    chain = store.chain(asked)
    codes = {r.code: "alternative" for r in (asked, rule_region)}
    for region in chain:
        if region.is_national:
            break
        codes.setdefault(region.code, "group")
    for code, wanted in codes.items():
        for rule in in_force(store.credit_rules.get(code, ()), day):
            if rule.variant == "primary" or not rule.covers_age(age):
                continue
            if wanted == "group" and rule.variant != "group":
                continue
            try:
                base = _base_for(rule, asked, store.regions[code], avg)
                gross, net, *_ = _compute(rule, age, base, [])
            except MissingInputError:
                gross = net = None
            who = f"（{rule.applies_to}）" if rule.applies_to else ""
            if rule.method == "pension_share":
                figure = f"按{rule.pension_base or '平均养老金'}的{fmt_rate(rule.rate)}"
            else:
                basis = "扣除后" if rule.amount_basis == "net" else "扣除前"
                per = "每年" if rule.unit == "year" else "每月"
                figure = f"{per}{fmt_number(rule.amount)}元（{basis}）"
            kind = "适用人群不同" if rule.variant == "group" else "另有来源称"
            yield Alternative(
                label=f"{kind}{who}：{store.regions[code].name}{figure}",
                monthly_gross=gross, monthly_net=net, confidence=rule.confidence,
                sources=tuple(store.sources_for(rule.source_ids)), note=rule.note,
                applies_to=rule.applies_to,
            )  # fmt: skip


def worker_monthly_credit(
    base: Decimal | float | int | str,
    *,
    region: str | int | Region | None = None,
    on: date | str | None = None,
) -> CreditResult:
    """In-service employee: the share of the monthly contribution ``base`` credited (原则上2%)."""
    base_value = to_money(base, "缴费基数", maximum=MAX_BASE)
    day = to_date(on, "查询日期")
    store = get_store()
    asked = find_region(region) if region is not None else store.regions[NATIONAL_CODE]
    for candidate in store.chain(asked):
        rules = in_force(store.worker_rules.get(candidate.code, ()), day)
        if rules:
            rule = rules[-1]
            break
    else:
        raise YibaoInputError(
            f"{day:%Y年%m月%d日}早于2021年职工医保门诊共济改革，本工具只计算改革后的划入标准，请改选较近的日期。"
        )
    fallback = candidate.code != asked.code
    monthly = yuan(base_value * rule.rate)
    yearly = monthly * MONTHS
    steps = []
    if fallback:
        steps.append(f"{asked.name}没有收录到单独的比例，按全国原则（{fmt_rate(rule.rate)}）估算。")
    steps += [
        f"在职职工本人缴纳的医保费划入个人账户，原则上为{rule.base_description}的{fmt_rate(rule.rate)}；"
        "单位缴纳部分进入统筹基金。",
        f"每月划入：{fmt_yuan(base_value)} × {fmt_rate(rule.rate)} = {fmt_yuan(monthly)}。",
        f"全年划入：{fmt_yuan(monthly)} × 12 = {fmt_yuan(yearly)}。",
    ]
    notes = (rule.note,) if rule.note else ()
    return CreditResult(
        region=asked, rule_region=candidate, on=day, age=None, method="contribution_share",
        monthly_gross=monthly, monthly_net=monthly, yearly_gross=yearly, yearly_net=yearly,
        rate=rule.rate, base=base_value, base_label=rule.base_description,
        deduction_name=None, deduction_amount=None, confidence=rule.confidence,
        estimated=fallback, fallback=fallback, steps=tuple(steps),
        sources=tuple(store.sources_for(rule.source_ids)), notes=notes, alternatives=(),
        rule_ids=(rule.rule_id,), checked_on=rule.checked_on,
    )  # fmt: skip


@dataclass(frozen=True)
class BalanceProjection(Explained):
    """Month-end balances if the monthly credit is added and nothing is spent (no interest)."""

    credit: CreditResult
    start: date
    until: date
    start_balance: Decimal
    months: tuple[date, ...]
    balances: tuple[Decimal, ...]
    steps: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def final_balance(self) -> Decimal:
        return self.balances[-1] if self.balances else self.start_balance

    @property
    def sources(self):
        return self.credit.sources

    @property
    def confidence(self) -> str:
        return self.credit.confidence

    @property
    def estimated(self) -> bool:
        return True


def project_worker_balance(
    base,
    *,
    until: date | str,
    start: date | str | None = None,
    start_balance: Decimal | float | int | str = 0,
    region: str | int | Region | None = None,
) -> BalanceProjection:
    """Project the account balance month by month from ``start`` to ``until`` (at most 50 years)."""
    credit = worker_monthly_credit(base, region=region, on=start)
    first = to_date(start, "开始日期")
    last = to_date(until, "截止日期")
    opening = ZERO if start_balance in (None, "") else _opening_balance(start_balance)
    if last < first:
        raise YibaoInputError("截止日期不能早于开始日期。")
    count = (last.year - first.year) * 12 + (last.month - first.month) + 1
    count = to_count(count, "预测月数", maximum=600)
    months, balances = [], []
    year, month, balance = first.year, first.month, opening
    for _ in range(count):
        balance += credit.monthly_net
        months.append(date(year, month, 1))
        balances.append(balance)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    steps = (
        f"起始余额 {fmt_yuan(opening)}，每月划入 {fmt_yuan(credit.monthly_net)}。",
        f"{first:%Y年%m月}至{last:%Y年%m月}共 {count} 个月：{fmt_yuan(opening)} + "
        f"{fmt_yuan(credit.monthly_net)} × {count} = {fmt_yuan(balance)}。",
    )
    notes = ("假设期间不花费、缴费基数不变、不计利息；实际余额以医保部门记录为准。",)
    return BalanceProjection(credit, first, last, opening, tuple(months), tuple(balances), steps, notes)


def _opening_balance(value) -> Decimal:
    number = to_decimal(value, "起始余额")
    if number < 0:
        raise YibaoInputError("起始余额不能是负数。")
    if number > MAX_BASE * 100:
        raise YibaoInputError("起始余额过大，请检查是否多输了位数。")
    return number


COMPARE_COLUMNS = (
    "code", "name", "short_name", "level", "method", "method_label", "monthly_gross", "monthly_net",
    "yearly_net", "rate", "confidence", "confidence_label", "estimated", "contested", "source",
    "status",
)  # fmt: skip


def rules_applied(regions, age: int, *, on: date | str | None = None) -> tuple[str | None, ...]:
    """The id of the rule row each region's answer at ``age`` on ``on`` rests on (None where
    the date is before the reform). Cheap: for knowing whether a whole map of answers changes
    when only the age does (most ages share every row)."""
    age, day = to_age(age), to_date(on, "查询日期")
    out = []
    for region in regions:
        try:
            _, rules = _primary_rules(find_region(region), day)
        except YibaoInputError:
            out.append(None)
            continue
        out.append(next((r.rule_id for r in rules if r.covers_age(age)), None))
    return tuple(out)


@dataclass(frozen=True)
class CompareRow:
    """One region in the comparison: its figures at one age (``None`` where a share rule needs
    an average pension that is not known; ``status`` says so). Fields are :data:`COMPARE_COLUMNS`."""

    code: str
    name: str
    short_name: str
    level: str
    method: str
    method_label: str
    monthly_gross: Decimal | None
    monthly_net: Decimal | None
    yearly_net: Decimal | None
    rate: Decimal | None
    confidence: str
    confidence_label: str
    estimated: bool
    contested: bool
    source: str
    status: str

    @property
    def has_figure(self) -> bool:
        return self.monthly_net is not None

    def as_dict(self) -> dict:
        return {column: getattr(self, column) for column in COMPARE_COLUMNS}


def compare_rows(
    age: int, *, on: date | str | None = None, avg_pension=None
) -> tuple[CompareRow, ...]:
    """One :class:`CompareRow` per region with a retiree credit rule in force on ``on``.

    Share rules without a known average give ``None`` for the money and a status saying so,
    unless ``avg_pension`` is given (then it is applied to every share rule, which the status
    says). Sorted by monthly_net, highest first (ties keep region code order), rows without a
    figure last. Needs no pandas: the apps use this directly.
    """
    age = to_age(age)
    day = to_date(on, "查询日期")
    avg = _optional_money(avg_pension, "平均养老金", MAX_AVG_PENSION)
    store = get_store()
    with_value, without_value = [], []
    for code in sorted(store.credit_rules):
        rules = [r for r in in_force(store.credit_rules[code], day) if r.variant == "primary"]
        if not rules:
            continue
        region = store.regions[code]
        row = {
            "code": code, "name": "全国（默认）" if region.is_national else region.name,
            "short_name": region.short_name, "level": region.level,
        }  # fmt: skip
        try:
            result = retiree_monthly_credit(region, age, on=day, avg_pension=avg)
        except MissingInputError:
            rule = next(r for r in rules if r.covers_age(age))
            row.update({
                "method": rule.method, "method_label": METHOD_LABELS[rule.method],
                "monthly_gross": None, "monthly_net": None, "yearly_net": None, "rate": rule.rate,
                "confidence": rule.confidence, "estimated": region.is_national,
                "source": store.sources[rule.source_ids[0]].title,
                "status": f"需输入{rule.pension_base or '平均养老金'}",
            })  # fmt: skip
            without_value.append(row)
            continue
        status = "已计算"
        if result.method == "pension_share":
            status = {"user": "按您输入的平均养老金计算", "rule": "按已公布的平均养老金计算"}.get(
                result.base_origin,
                "按估算的平均养老金计算" if result.estimated else "按已公布的平均养老金计算",
            )
        row.update({
            "method": result.method, "method_label": result.method_label,
            "monthly_gross": result.monthly_gross, "monthly_net": result.monthly_net,
            "yearly_net": result.yearly_net, "rate": result.rate,
            "confidence": result.confidence, "estimated": result.estimated,
            "source": result.sources[0].title, "status": status,
        })  # fmt: skip
        with_value.append(row)
    with_value.sort(key=lambda row: row["monthly_net"], reverse=True)  # stable, like pandas'
    return tuple(
        CompareRow(**row, confidence_label=CONFIDENCE_LABELS[row["confidence"]],
                   contested=row["confidence"] == "contested")
        for row in with_value + without_value
    )


def compare_regions_rows(
    age: int, *, on: date | str | None = None, avg_pension=None
) -> tuple[dict, ...]:
    """:func:`compare_rows` as plain dicts (keys :data:`COMPARE_COLUMNS`), for tables and CSV."""
    return tuple(row.as_dict() for row in compare_rows(age, on=on, avg_pension=avg_pension))


def compare_regions(age: int, *, on: date | str | None = None, avg_pension=None):
    """:func:`compare_regions_rows` as a pandas DataFrame (columns :data:`COMPARE_COLUMNS`).

    For notebooks and analysis; pandas is imported only here, so the apps do not pay for it.
    """
    rows = compare_regions_rows(age, on=on, avg_pension=avg_pension)
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(COMPARE_COLUMNS))


__all__ = [
    "COMPARE_COLUMNS",
    "CURVE_AGES",
    "Alternative",
    "AveragePensionNeed",
    "BalanceProjection",
    "CompareRow",
    "CreditCurve",
    "CreditResult",
    "RetireeAnswer",
    "average_pension_need",
    "compare_regions",
    "compare_regions_rows",
    "compare_rows",
    "credit_by_age",
    "project_worker_balance",
    "retiree_answer",
    "retiree_monthly_credit",
    "rules_applied",
    "share_of_pension",
    "worker_monthly_credit",
]  # fmt: skip
