"""Working days of the Chinese calendar, for notice periods and deadlines.

Statutory holidays and make-up working days come from the
``chinese-calendar`` package. Its data covers a fixed range of years (up to
2026 in version 1.11.0); past that range a plain Monday–Friday week is used
and a warning is logged once per year.
"""

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

logger = logging.getLogger(__name__)

_years_warned = set()


# Sweeps ask about the same few hundred days thousands of times.
@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """Return whether ``day`` is a working day in mainland China."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _years_warned:
            _years_warned.add(day.year)
            logger.warning(
                "chinese-calendar has no holiday data for %s; "
                "treating Monday to Friday as working days",
                day.year,
            )
        return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """Return the ``count``-th working day after ``start``.

    ``start`` itself is not counted, so a five-day notice started on a
    Monday before no holidays ends on the following Monday.
    """
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_day_on_or_after(day: date) -> date:
    """Return ``day`` if it is a working day, else the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date) -> date:
    """Return ``day`` if it is a working day, else the last one before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
