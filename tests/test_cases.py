"""The case files in tests/cases/: the seeds' own examples, run through the public API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from _cases import load_cases

import yibao_lib
from yibao_lib import (
    add_working_days,
    minimum_years_check,
    retiree_monthly_credit,
    share_of_pension,
    transfer_plan,
)

# The day of the cases that state none (no ``as_of`` / ``start``): the rules are dated, so a case
# asked "today" would change answer with the clock. A case about another day states it.
UNDATED_ON = date(2026, 11, 26)


def _check_error(case, call):
    error = getattr(yibao_lib, case["error"])
    with pytest.raises(error) as info:
        call()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value)), "message must be Chinese"


@pytest.mark.parametrize("case", load_cases("retiree_credit.yaml"))
def test_retiree_credit(case):
    def call():
        return retiree_monthly_credit(
            case["region"], case["age"], on=case.get("as_of", UNDATED_ON),
            avg_pension=case.get("avg_pension"),
        )  # fmt: skip

    if "error" in case:
        _check_error(case, call)
        return
    result = call()
    for key, want in case["expect"].items():
        if key == "rule_region":
            assert result.rule_region.code == want
        elif key == "alternatives":
            assert len(result.alternatives) == want
        elif key in ("monthly_gross", "monthly_net", "yearly_net"):
            assert getattr(result, key) == Decimal(want), key
        else:
            assert getattr(result, key) == want, key
    assert result.steps and result.sources
    assert result.monthly_net <= result.monthly_gross


@pytest.mark.parametrize("case", load_cases("share.yaml"))
def test_share_of_pension(case):
    assert share_of_pension(case["avg_pension"], case["rate"]) == Decimal(case["expect"])


@pytest.mark.parametrize("case", load_cases("minimum_years.yaml"))
def test_minimum_years(case):
    def call():
        return minimum_years_check(
            case["region"], case["sex"], case["total_years"],
            local_years=case.get("local_years"), deemed_years=case.get("deemed_years", 0),
            on=case.get("as_of", UNDATED_ON),
        )  # fmt: skip

    if "error" in case:
        _check_error(case, call)
        return
    result = call()
    for key, want in case["expect"].items():
        if key == "options_min":
            assert len(result.options) >= want
        elif key in ("required_total", "required_local", "short_total", "short_local"):
            assert getattr(result, key) == Decimal(want), key
        else:
            assert getattr(result, key) == want, key


@pytest.mark.parametrize("case", load_cases("transfer.yaml"))
def test_transfer(case):
    kwargs = {
        k: case[k]
        for k in ("retired", "relocated", "stopped_at_origin", "enrolled_at_destination",
                  "destination_connected", "channel", "scheme", "start")
        if k in case
    }  # fmt: skip
    kwargs.setdefault("start", UNDATED_ON)

    def call():
        return transfer_plan(case["origin"], case["destination"], **kwargs)

    if "error" in case:
        _check_error(case, call)
        return
    plan = call()
    expect = case["expect"]
    assert plan.route == expect["route"]
    if "deadline" in expect:
        want = expect["deadline"]
        assert (plan.deadline.date if plan.deadline else None) == want
    if "blockers" in expect:
        assert len(plan.blockers) == expect["blockers"]
    if "deadline_estimated" in expect:
        assert plan.deadline.estimated is expect["deadline_estimated"]
    assert plan.steps and plan.sources


def test_make_up_workday_counts():
    # 2024 国庆: 10-01…10-07 off, Saturday 10-12 is a make-up workday (国办发明电〔2023〕7号).
    assert add_working_days(date(2024, 9, 30), 1).date == date(2024, 10, 8)
    assert add_working_days(date(2024, 9, 30), 5).date == date(2024, 10, 12)
    # 2025 春节: Sunday 01-26 is a workday, 01-28…02-04 off.
    assert add_working_days(date(2025, 1, 24), 1).date == date(2025, 1, 26)
    assert add_working_days(date(2025, 1, 24), 3).date == date(2025, 2, 5)
