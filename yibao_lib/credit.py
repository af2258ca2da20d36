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
from .model import CONFIDENCE_LABELS, METHOD_LABELS, CreditRule, Region, Source
from .regions import find_region
from .results import Explained
from .store import NATIONAL_CODE, get_store

ZERO = Decimal(0)
UNKNOWN_START = date(1900, 1, 1)  # data/README.md: effective_from 1900-01-01 means "not known"
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

    ``avg_pension`` is the average monthly basic pension a share rule is based on; it is needed
    only when the applicable rule is a share and the data holds no figure for it — otherwise
    :class:`MissingInputError` says what to enter.
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

    steps: list[str] = []
    notes: list[str] = []
    fallback = rule_region.code != asked.code
    national = rule_region.code == NATIONAL_CODE
    if national:
        steps.append(
            f"{asked.name}没有收录到地方规则，按全国指导意见估算"
            "（国办发〔2021〕14号：约为改革当年当地平均基本养老金的2%）。"
        )
    elif fallback:
        steps.append(f"{asked.name}没有单独的规则，按{rule_region.name}的规则计算。")
    else:
        since = "起始日期不详" if rule.effective_from <= UNKNOWN_START else f"{rule.effective_from.year}年起执行"
        steps.append(f"按{rule_region.name}的规则计算（{since}）。")

    figures = _compute(rule, age, avg, rule_region, asked, steps)
    gross, net, yearly_gross, yearly_net, base = figures
    estimated = national
    if rule.deduction_name and rule.deduction_amount is None:
        estimated = True
        notes.append(f"来源说明此金额为扣除前金额，但未给出{rule.deduction_name}，实际到账可能略少。")
    if rule.note:
        notes.append(rule.note)
    if avg is not None and rule.method == "pension_share":
        notes.append("平均养老金由您输入，结果随之变化；请以当地公布的数字为准。")

    alternatives = tuple(_alternatives(asked, rule_region, day, age, avg))
    confidence = rule.confidence
    sources = tuple(store.sources_for(rule.source_ids))
    return CreditResult(
        region=asked, rule_region=rule_region, on=day, age=age, method=rule.method,
        monthly_gross=gross, monthly_net=net, yearly_gross=yearly_gross, yearly_net=yearly_net,
        rate=rule.rate, base=base, base_label=rule.pension_base,
        deduction_name=rule.deduction_name, deduction_amount=rule.deduction_amount,
        confidence=confidence, estimated=estimated, fallback=fallback, steps=tuple(steps),
        sources=sources, notes=tuple(notes), alternatives=alternatives,
        rule_ids=(rule.rule_id,), checked_on=rule.checked_on,
    )  # fmt: skip


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
        rules = [
            r
            for r in store.credit_rules.get(candidate.code, ())
            if r.variant == "primary" and r.in_force_on(day)
        ]
        if rules:
            return candidate, rules
    raise YibaoInputError(
        f"{day:%Y年%m月%d日}早于2021年职工医保门诊共济改革，本工具只计算改革后的划入标准，请改选较近的日期。"
    )


def _compute(rule: CreditRule, age: int, avg: Decimal | None, rule_region: Region, asked: Region,
             steps: list[str]):  # fmt: skip
    """Apply one rule row; append the arithmetic to ``steps``. Returns the five figures."""
    band = rule.age_band()
    if rule.method == "pension_share":
        base = avg if avg is not None else rule.avg_pension
        if base is None:
            place = asked.name if asked.level != "province" or rule_region == asked else rule_region.name
            raise MissingInputError(
                f"{rule_region.name}按{rule.pension_base or '平均养老金'}的{fmt_rate(rule.rate)}划入，"
                f"请输入{place}的这一平均养老金（元/月）后再计算。",
                field="avg_pension",
            )
        if rule.age_max is not None or rule.age_min:
            steps.append(f"年龄{age}岁，属于“{band}”档，比例为{fmt_rate(rule.rate)}。")
        source = "您输入的" if avg is not None else "已公布的"
        gross = yuan(base * rule.rate)
        steps.append(
            f"按{rule.pension_base or '平均基本养老金'}的{fmt_rate(rule.rate)}计算："
            f"{source}{fmt_yuan(base)} × {fmt_rate(rule.rate)} = {fmt_yuan(gross)}。"
        )
        yearly_gross = gross * MONTHS
    else:
        base = None
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
    return gross, yuan(net), yuan(yearly_gross), yearly_net, base


def _alternatives(asked: Region, rule_region: Region, day: date, age: int, avg: Decimal | None):
    store = get_store()
    codes = dict.fromkeys((asked.code, rule_region.code))
    for code in codes:
        for rule in store.credit_rules.get(code, ()):
            if rule.variant == "primary" or not rule.covers_age(age):
                continue
            if not rule.in_force_on(day) and rule.effective_from > day:
                continue
            try:
                gross, net, *_ = _compute(rule, age, avg, rule_region, asked, [])
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
        rules = [r for r in store.worker_rules.get(candidate.code, ()) if r.in_force_on(day)]
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


def compare_regions_rows(
    age: int, *, on: date | str | None = None, avg_pension=None
) -> tuple[dict, ...]:
    """One dict per region with a retiree credit rule in force on ``on``: the figures at ``age``.

    Keys are :data:`COMPARE_COLUMNS`. Share rules without a known average give ``None`` for the
    money and a status saying so, unless ``avg_pension`` is given (then it is applied to every
    share rule, which the status says). Sorted by monthly_net, highest first (ties keep region
    code order), rows without a figure last. Needs no pandas: the apps use this directly.
    """
    age = to_age(age)
    day = to_date(on, "查询日期")
    avg = _optional_money(avg_pension, "平均养老金", MAX_AVG_PENSION)
    store = get_store()
    with_value, without_value = [], []
    for code in sorted(store.credit_rules):
        rules = [r for r in store.credit_rules[code] if r.variant == "primary" and r.in_force_on(day)]
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
            status = "按您输入的平均养老金计算" if avg is not None else "按已公布的平均养老金计算"
        row.update({
            "method": result.method, "method_label": result.method_label,
            "monthly_gross": result.monthly_gross, "monthly_net": result.monthly_net,
            "yearly_net": result.yearly_net, "rate": result.rate,
            "confidence": result.confidence, "estimated": result.estimated,
            "source": result.sources[0].title, "status": status,
        })  # fmt: skip
        with_value.append(row)
    with_value.sort(key=lambda row: row["monthly_net"], reverse=True)  # stable, like pandas'
    rows = with_value + without_value
    for row in rows:
        row["confidence_label"] = CONFIDENCE_LABELS[row["confidence"]]
        row["contested"] = row["confidence"] == "contested"
    return tuple({column: row[column] for column in COMPARE_COLUMNS} for row in rows)


def compare_regions(age: int, *, on: date | str | None = None, avg_pension=None):
    """:func:`compare_regions_rows` as a pandas DataFrame (columns :data:`COMPARE_COLUMNS`).

    For notebooks and analysis; pandas is imported only here, so the apps do not pay for it.
    """
    rows = compare_regions_rows(age, on=on, avg_pension=avg_pension)
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(COMPARE_COLUMNS))


__all__ = [
    "COMPARE_COLUMNS", "Alternative", "BalanceProjection", "CreditResult", "compare_regions",
    "compare_regions_rows", "project_worker_balance",
    "retiree_monthly_credit", "share_of_pension", "worker_monthly_credit",
]  # fmt: skip
