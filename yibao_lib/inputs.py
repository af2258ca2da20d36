"""Checking what a user typed. Every problem becomes a :class:`YibaoInputError` in Chinese."""

from __future__ import annotations

import numbers
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import YibaoInputError

FEN = Decimal("0.01")
MAX_AGE = 120


def yuan(value: Decimal) -> Decimal:
    """Round to the fen, half up — done once, at the end of a calculation."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def fmt_yuan(value: Decimal) -> str:
    """110 → "110.00 元"; thousands separated: 1,890.00 元."""
    return f"{yuan(value):,.2f} 元"


def fmt_number(value: Decimal) -> str:
    """A figure without trailing zeros: 0.0280 → 0.028, 25.0 → 25."""
    text = format(value.normalize(), "f")
    return text


def fmt_rate(rate: Decimal) -> str:
    """0.028 → 2.8%."""
    return f"{fmt_number(rate * 100)}%"


def shown(value: object, limit: int = 20) -> str:
    """A short, always-printable rendering of what the user sent, for error messages."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and abs(value) > 10**limit:
        return "（过大的数字）"
    try:
        text = str(value)
    except Exception:
        return f"（{type(value).__name__}）"
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "…"


def to_decimal(value: object, what: str) -> Decimal:
    """A finite number from int, float, Decimal or a numeric string (full-width digits too)."""
    if isinstance(value, bool) or value is None:
        raise YibaoInputError(f"{what}必须是数字。")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        number = Decimal(repr(float(value)))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        text = text.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
        for unit in ("元", "岁", "年"):
            text = text.removesuffix(unit).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise YibaoInputError(f"{what}必须是数字，“{shown(value)}”不是数字。") from None
    else:
        raise YibaoInputError(f"{what}必须是数字。")
    if not number.is_finite():
        raise YibaoInputError(f"{what}必须是有限的数字。")
    return number


def to_age(value: object) -> int:
    """A whole age in years, 0–120."""
    number = to_decimal(value, "年龄")
    if number != number.to_integral_value():
        raise YibaoInputError("年龄请填写整数周岁，例如 70。")
    if number < 0:
        raise YibaoInputError("年龄不能是负数。")
    if number > MAX_AGE:
        raise YibaoInputError(f"年龄不能超过 {MAX_AGE} 岁。")
    return int(number)


def to_money(value: object, what: str, *, maximum: Decimal = Decimal("1000000")) -> Decimal:
    """A positive amount of yuan, at most ``maximum``."""
    number = to_decimal(value, what)
    if number <= 0:
        raise YibaoInputError(f"{what}必须大于 0。")
    if number > maximum:
        raise YibaoInputError(f"{what}不能超过 {fmt_number(maximum)} 元，请检查是否多输了位数。")
    return number


def to_years(value: object, what: str, *, maximum: int = 80) -> Decimal:
    """A number of years, 0–``maximum``, at most two decimals (e.g. 25.5)."""
    number = to_decimal(value, what)
    if number < 0:
        raise YibaoInputError(f"{what}不能是负数。")
    if number > maximum:
        raise YibaoInputError(f"{what}不能超过 {maximum} 年。")
    if number != number.quantize(FEN):
        raise YibaoInputError(f"{what}最多保留两位小数。")
    return number


def to_count(value: object, what: str, *, maximum: int = 10000) -> int:
    """A whole number 0–``maximum``."""
    number = to_decimal(value, what)
    if number != number.to_integral_value() or number < 0:
        raise YibaoInputError(f"{what}必须是不小于 0 的整数。")
    if number > maximum:
        raise YibaoInputError(f"{what}不能超过 {maximum}。")
    return int(number)


MIN_YEAR, MAX_YEAR = 1990, 2100


def to_date(value: object, what: str = "日期") -> date:
    """A date (1990–2100) from a date, a datetime or an ISO string (2026-11-26); None is today."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise YibaoInputError(f"{what}的年份应在 {MIN_YEAR}–{MAX_YEAR} 之间。")
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            parsed = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise YibaoInputError(f"{what}格式不对，请按“2026-11-26”的格式填写。") from None
        return to_date(parsed, what)
    raise YibaoInputError(f"{what}格式不对，请按“2026-11-26”的格式填写。")


_SEXES = {
    "male": "male", "m": "male", "man": "male", "男": "male", "男性": "male",
    "female": "female", "f": "female", "woman": "female", "女": "female", "女性": "female",
}  # fmt: skip
SEX_LABELS = {"male": "男", "female": "女"}


def to_sex(value: object) -> str:
    """'male' or 'female' from male/female, m/f, 男/女, 男性/女性."""
    if isinstance(value, str):
        sex = _SEXES.get(value.strip().casefold())
        if sex:
            return sex
    raise YibaoInputError(f"性别请填写“男”或“女”，收到的是“{shown(value)}”。")
