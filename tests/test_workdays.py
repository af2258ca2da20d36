from __future__ import annotations

from datetime import date

import pytest

from yibao_lib import YibaoInputError, add_working_days
from yibao_lib.workdays import official_years

# The first year chinese_calendar does not know (2027 with chinesecalendar 1.11.0): read from the
# package, so these tests keep their meaning when a new release adds the next year's calendar.
FIRST_UNKNOWN = official_years().stop
LAST_KNOWN = FIRST_UNKNOWN - 1


def _refused(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 2))
    except NotImplementedError:
        return True
    return False


def test_official_years_are_what_the_package_answers():
    years = official_years()
    assert 2025 in years  # the dated cases below and in tests/test_cases.py use 2024–2025
    assert not _refused(years.start) and not _refused(LAST_KNOWN)
    assert _refused(years.start - 1) and _refused(FIRST_UNKNOWN)


def test_zero_days_is_the_start():
    d = add_working_days(date(2026, 6, 1), 0)
    assert d.date == date(2026, 6, 1) and not d.estimated


def test_unknown_year_is_an_estimate_not_an_exception():
    d = add_working_days(date(LAST_KNOWN, 12, 25), 10)
    assert d.estimated and d.estimated_years == (FIRST_UNKNOWN,)
    assert d.date.year == FIRST_UNKNOWN and d.date.weekday() < 5
    assert f"{FIRST_UNKNOWN}年" in d.note and "估算" in d.describe()


def test_last_known_year_is_not_an_estimate():
    d = add_working_days(date(LAST_KNOWN, 6, 1), 10)
    assert not d.estimated and d.note is None and "估算" not in d.describe()


@pytest.mark.parametrize("later", [0, 1, 3, 2099 - FIRST_UNKNOWN])
def test_every_later_year_is_an_estimate(later):
    year = FIRST_UNKNOWN + later
    d = add_working_days(date(year, 3, 2), 5)
    assert d.estimated and d.estimated_years == (year,) and "估算" in d.describe()


def test_guessed_year_skips_national_day():
    d = add_working_days(date(FIRST_UNKNOWN, 9, 30), 1)
    assert d.date >= date(FIRST_UNKNOWN, 10, 4) and d.date.weekday() < 5 and d.estimated


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
