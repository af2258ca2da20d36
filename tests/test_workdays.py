from __future__ import annotations

from datetime import date

import pytest

from yibao_lib import YibaoInputError, add_working_days


def test_zero_days_is_the_start():
    d = add_working_days(date(2026, 6, 1), 0)
    assert d.date == date(2026, 6, 1) and not d.estimated


def test_unknown_year_is_an_estimate_not_an_exception():
    d = add_working_days(date(2026, 12, 25), 10)
    assert d.estimated and d.estimated_years == (2027,)
    assert d.date.year == 2027 and d.date.weekday() < 5
    assert "2027" in d.note and "估算" in d.describe()


def test_guessed_year_skips_national_day():
    d = add_working_days(date(2027, 9, 30), 1)
    assert d.date >= date(2027, 10, 4) and d.date.weekday() < 5 and d.estimated


def test_national_day_week_is_skipped():
    assert add_working_days(date(2025, 9, 30), 1).date == date(2025, 10, 9)


@pytest.mark.parametrize("bad", [-1, 2.5, "x", None, 10**6])
def test_bad_counts(bad):
    with pytest.raises(YibaoInputError):
        add_working_days(date(2026, 1, 5), bad)


@pytest.mark.parametrize("bad", ["2026-13-01", "昨天", "1800-01-01", 20260101])
def test_bad_start(bad):
    with pytest.raises(YibaoInputError):
        add_working_days(bad, 1)
