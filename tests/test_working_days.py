"""Working days of the Chinese calendar, and the notice periods built on them."""

import logging
from datetime import date

import pytest

from workflow import working_days
from workflow.working_days import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 30), True),
        # National Day holiday, 1 to 7 October 2026.
        (date(2026, 10, 1), False),
        (date(2026, 10, 5), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        # Make-up working days: Sunday 20 September and Saturday 10 October.
        (date(2026, 9, 20), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
        # Mid-Autumn Festival on a Friday.
        (date(2026, 9, 25), False),
        (date(2026, 3, 7), False),
        (date(2026, 3, 9), True),
    ],
)
def test_is_working_day_2026(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "count", "end"),
    [
        (date(2026, 3, 2), 5, date(2026, 3, 9)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        # Across National Day: 8, 9, 10 (make-up Saturday), 12, 13 October.
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        (date(2026, 10, 1), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),
        # Friday 18 September: the next working day is make-up Sunday 20th.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        # Mid-Autumn (25-27 September) inside a notice period.
        (date(2026, 9, 22), 5, date(2026, 9, 30)),
    ],
)
def test_add_working_days(start, count, end):
    assert add_working_days(start, count) == end


def test_negative_count_rejected():
    with pytest.raises(ValueError, match="count must be zero or more, got -1"):
        add_working_days(date(2026, 3, 2), -1)


def test_year_without_data_uses_weekdays(caplog, monkeypatch):
    monkeypatch.setattr(working_days, "_years_warned", set())

    with caplog.at_level(logging.WARNING, logger="workflow.working_days"):
        end = add_working_days(date(2027, 12, 31), 2)

    assert end == date(2028, 1, 4)
    assert [r.getMessage() for r in caplog.records] == [
        "chinese-calendar has no holiday data for 2028; "
        "treating Monday to Friday as working days"
    ]


def test_year_without_data_warns_once(caplog, monkeypatch):
    monkeypatch.setattr(working_days, "_years_warned", set())

    with caplog.at_level(logging.WARNING, logger="workflow.working_days"):
        add_working_days(date(2029, 3, 1), 10)
        add_working_days(date(2029, 6, 1), 10)

    assert len(caplog.records) == 1
