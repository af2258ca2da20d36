"""Property tests: invariants that must hold for every region, age, amount and date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yibao_lib import (
    YibaoError,
    add_working_days,
    all_regions,
    minimum_years_check,
    retiree_monthly_credit,
    transfer_plan,
    worker_monthly_credit,
)

REGIONS = [r.code for r in all_regions()]
PLACES = [r.code for r in all_regions() if not r.is_national]
ages = st.integers(min_value=0, max_value=120)
days = st.dates(min_value=date(2021, 4, 1), max_value=date(2035, 12, 31))
averages = st.decimals(min_value=Decimal("100"), max_value=Decimal("50000"), places=2)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.sampled_from(REGIONS), ages, days, averages)
def test_credit_never_negative_and_net_below_gross(code, age, day, avg):
    r = retiree_monthly_credit(code, age, on=day, avg_pension=avg)
    assert Decimal(0) <= r.monthly_net <= r.monthly_gross
    assert r.yearly_net >= 0 and r.monthly_net.as_tuple().exponent == -2
    assert r.steps and r.sources


@FAST
@given(st.sampled_from(REGIONS), ages, ages, days, averages)
def test_credit_never_decreases_with_age(code, a, b, day, avg):
    young, old = sorted((a, b))
    low = retiree_monthly_credit(code, young, on=day, avg_pension=avg)
    high = retiree_monthly_credit(code, old, on=day, avg_pension=avg)
    assert low.monthly_gross <= high.monthly_gross


@FAST
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999"), places=2))
def test_worker_credit_is_two_percent_rounded(base):
    r = worker_monthly_credit(base, on="2026-11-26")
    assert abs(r.monthly_net - base * Decimal("0.02")) <= Decimal("0.005")


@FAST
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 60), st.integers(0, 60))
def test_deadlines_move_forward_with_n(start, n, m):
    small, large = sorted((n, m))
    a, b = add_working_days(start, small), add_working_days(start, large)
    assert a.date <= b.date
    if large > small:
        assert a.date < b.date
    assert b.date >= start and (b.date - start) <= timedelta(days=large * 3 + 30)


@FAST
@given(st.sampled_from(PLACES), st.sampled_from(["男", "女"]), st.decimals(0, 60, places=1), st.decimals(0, 20, places=0))
def test_more_years_never_hurt(code, sex, total, deemed):
    r = minimum_years_check(code, sex, total, deemed_years=deemed, local_years=total, on="2026-06-01")
    more = minimum_years_check(code, sex, total + 1, deemed_years=deemed, local_years=total + 1, on="2026-06-01")
    assert more.short_total <= r.short_total
    assert r.met or r.options
    assert not (r.met and not more.met)


anything = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(REGIONS),
    st.dates(), st.lists(st.integers(), max_size=2),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(anything, anything, anything, anything)
def test_library_raises_only_its_own_errors(region, age, on, avg):
    """Hypothesis-generated nonsense: a YibaoError (with a Chinese message) or a real answer.

    ``None`` (and a date left out) means today: part of what callers send, so it stays in; that
    the answer holds on later days too is what ``make test-clock`` checks."""
    for call in (
        lambda: retiree_monthly_credit(region, age, on=on, avg_pension=avg),
        lambda: minimum_years_check(region, age, avg, local_years=on),
        lambda: add_working_days(on, age),
        lambda: worker_monthly_credit(avg, region=region, on=on),
        lambda: transfer_plan(region, age, start=on),
    ):
        try:
            call()
        except YibaoError as exc:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
