"""Reminder rules: send days on the Chinese calendar, and catching up."""

import logging
from datetime import date

import pytest

from notifications import rules
from workflow import working_days

DEADLINE = date(2026, 6, 30)


def _rule(code, app_context):
    return next(rule for rule in rules.report_rules() if rule.code == code)


@pytest.mark.parametrize(
    ("code", "anchor", "send_day"),
    [
        ("window_opened", date(2026, 1, 1), date(2026, 1, 4)),
        ("report_due_30d", DEADLINE, date(2026, 5, 29)),
        ("report_due_14d", DEADLINE, date(2026, 6, 16)),
        ("report_due_3d", DEADLINE, date(2026, 6, 26)),
        ("report_due_1d", DEADLINE, date(2026, 6, 29)),
        ("report_overdue", DEADLINE, date(2026, 7, 1)),
    ],
)
def test_send_day_follows_working_days(app_context, code, anchor, send_day):
    rule = _rule(code, app_context)

    assert rule.send_day(anchor) == send_day


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 5, 28), None),
        (date(2026, 6, 24), "report_due_7d"),
        (date(2026, 6, 30), "report_due_1d"),
        (date(2026, 7, 1), None),
    ],
    ids=["too-early", "catch-up-sends-latest", "deadline-day", "after-deadline"],
)
def test_latest_due_warning(app_context, today, expected):
    warning = rules.latest_due_warning(rules.report_rules(), DEADLINE, today)

    assert (warning.code if warning else None) == expected


def test_reminder_days_come_from_settings(app_context, monkeypatch):
    monkeypatch.setitem(app_context.config, "REPORT_REMINDER_DAYS", (10, 2))

    codes = [rule.code for rule in rules.report_rules()]

    assert codes == [
        "window_opened",
        "report_due_10d",
        "report_due_2d",
        "report_overdue",
        "child_report_overdue",
    ]


def test_year_without_holiday_data_uses_weekdays(caplog):
    working_days.is_working_day.cache_clear()
    working_days._years_warned.discard(2031)

    with caplog.at_level(logging.WARNING, logger="workflow.working_days"):
        monday = working_days.is_working_day(date(2031, 1, 6))
        saturday = working_days.is_working_day(date(2031, 1, 4))
        new_year = working_days.is_working_day(date(2031, 1, 1))

    assert monday is True
    assert saturday is False
    assert new_year is True
    assert caplog.text.count("no holiday data for 2031") == 1
