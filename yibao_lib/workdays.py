"""Working days in mainland China, with the State Council's make-up workdays (调休).

Years the State Council has announced come from ``chinese_calendar`` (:func:`official_years`:
2004–2026 in chinesecalendar 1.11.0, read from the package, never written down here), including
weekend days that are workdays. For any other year there is no official calendar yet: weekends
and the public holidays ``holidays`` expects for China are skipped, no make-up days are known,
and the answer is flagged ``estimated`` — never an exception, never a silent guess.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from .inputs import to_count, to_date

MAX_WORKING_DAYS = 3660


@dataclass(frozen=True)
class Deadline:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""

    start: date
    working_days: int
    date: date
    estimated: bool
    estimated_years: tuple[int, ...]

    @property
    def note(self) -> str | None:
        if not self.estimated:
            return None
        years = "、".join(str(y) for y in self.estimated_years)
        return (
            f"{years}年的放假调休安排尚未公布（或不在官方日历范围内），"
            "按周末和法定节假日估算，日期可能因调休而变化。"
        )

    def describe(self) -> str:
        text = f"自 {self.start:%Y年%m月%d日} 起 {self.working_days} 个工作日：{self.date:%Y年%m月%d日}"
        return text + ("（估算）" if self.estimated else "")


@functools.cache
def official_years() -> range:
    """The years ``chinese_calendar`` has the official calendar for, read from the package.

    The package itself refuses (``NotImplementedError``) any year outside its holiday table's
    first and last year; ``official_years().stop`` is the first later year answered by estimate.
    """
    from chinese_calendar.constants import holidays

    years = {day.year for day in holidays}
    return range(min(years), max(years) + 1)


@functools.cache
def _official_year_known(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def _guessed_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("CN", years=year))


@functools.cache
def is_working_day(day: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate)."""
    if _official_year_known(day.year):
        import chinese_calendar

        return chinese_calendar.is_workday(day), False
    return day.weekday() < 5 and day not in _guessed_holidays(day.year), True


def add_working_days(start: date | str | None, n: int) -> Deadline:
    """The ``n``-th working day after ``start`` (default today); ``n`` = 0 gives ``start``."""
    first = to_date(start, "开始日期")
    count = to_count(n, "工作日天数", maximum=MAX_WORKING_DAYS)
    day = first
    guessed: set[int] = set()
    remaining = count
    while remaining:
        day += timedelta(days=1)
        working, estimate = is_working_day(day)
        if estimate:
            guessed.add(day.year)
        if working:
            remaining -= 1
    return Deadline(first, count, day, bool(guessed), tuple(sorted(guessed)))
