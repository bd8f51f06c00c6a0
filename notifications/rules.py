"""Reminder rules as data: which message goes when, relative to which date.

A rule fires ``offset_days`` after its anchor date (negative: before it).
Messages go out on working days of the Chinese calendar: a rule that
warns ahead of a date moves to the last working day on or before its
nominal day, so the warning is never late; a rule that reports something
that has happened moves to the first working day on or after it.

Rules that warn ahead of the same date form a series. When a sweep finds
several of a series due (after the scheduler was down, say), it sends only
the latest, because the earlier ones would state a wrong number of days.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from workflow.working_days import working_day_on_or_after, working_day_on_or_before

# Anchors a rule can be relative to.
WINDOW_OPENS = "window_opens"
DEADLINE = "deadline"
TERM_END = "term_end"
NOTICE_END = "notice_end"
RECTIFICATION_DEADLINE = "rectification_deadline"
EVALUATION_DEADLINE = "evaluation_deadline"

# Who receives a message about a department's record.
DEPARTMENT = "department"
PARENT = "parent"


@dataclass(frozen=True)
class ReminderRule:
    """When a message of ``kind`` is due and who receives it."""

    code: str
    kind: str
    anchor: str
    offset_days: int
    audience: str = DEPARTMENT

    @property
    def is_advance_warning(self):
        return self.offset_days < 0

    def nominal_day(self, anchor_day):
        """Return the calendar day the rule names for ``anchor_day``."""
        return anchor_day + timedelta(days=self.offset_days)

    def send_day(self, anchor_day):
        """Return the working day on which the message goes out."""
        nominal = self.nominal_day(anchor_day)
        if self.is_advance_warning:
            return working_day_on_or_before(nominal)
        return working_day_on_or_after(nominal)


def report_rules():
    """Return the annual report rules, with the reminder days from settings."""
    reminders = tuple(
        ReminderRule(f"report_due_{days}d", "report_due", DEADLINE, -days)
        for days in current_app.config["REPORT_REMINDER_DAYS"]
    )
    return (
        ReminderRule("window_opened", "window_opened", WINDOW_OPENS, 0),
        *reminders,
        ReminderRule("report_overdue", "report_overdue", DEADLINE, 1),
        ReminderRule(
            "child_report_overdue", "child_report_overdue", DEADLINE, 1, PARENT
        ),
    )


def term_rules():
    """Return the term-ending rules, with the notice days from settings."""
    return tuple(
        ReminderRule(f"term_ending_{days}d", "term_ending", TERM_END, -days)
        for days in current_app.config["TERM_END_NOTICE_DAYS"]
    )


NOTICE_ENDED = ReminderRule("notice_ended", "notice_ended", NOTICE_END, 1)


def rectification_rules():
    """Return the rectification rules, with the reminder days from settings.

    The warnings go to the center; the overdue message goes to the department
    that ordered the rectification.
    """
    reminders = tuple(
        ReminderRule(
            f"rectification_due_{days}d",
            "rectification_due",
            RECTIFICATION_DEADLINE,
            -days,
        )
        for days in current_app.config["RECTIFICATION_REMINDER_DAYS"]
    )
    overdue = ReminderRule(
        "rectification_overdue", "rectification_overdue", RECTIFICATION_DEADLINE, 1
    )
    return (*reminders, overdue)


def evaluation_rules():
    """Return the evaluation round rules, with the reminder days from settings.

    The warnings go to the department that owns the round; the overdue
    notices go to it and to its parent department.
    """
    reminders = tuple(
        ReminderRule(
            f"evaluation_due_{days}d", "evaluation_due", EVALUATION_DEADLINE, -days
        )
        for days in current_app.config["EVALUATION_REMINDER_DAYS"]
    )
    return (
        *reminders,
        ReminderRule(
            "evaluation_overdue", "evaluation_overdue", EVALUATION_DEADLINE, 1
        ),
        ReminderRule(
            "child_evaluation_overdue",
            "child_evaluation_overdue",
            EVALUATION_DEADLINE,
            1,
            PARENT,
        ),
    )


def latest_due_warning(rules, anchor_day, today):
    """Return the latest advance warning due by ``today``, or None.

    None also once ``anchor_day`` has passed: a warning about a date that
    is gone would mislead.
    """
    if today > anchor_day:
        return None
    due = [
        rule
        for rule in rules
        if rule.is_advance_warning and rule.send_day(anchor_day) <= today
    ]
    return max(due, key=lambda rule: rule.offset_days, default=None)


def is_due(rule, anchor_day, today):
    """Return whether a non-warning rule's send day has come."""
    return rule.send_day(anchor_day) <= today


def due_rules(rules, anchor_day, today):
    """Return the rules of a series due by ``today`` for ``anchor_day``.

    That is every rule reporting on the date whose send day has come, plus
    the latest advance warning due, if any.
    """
    due = [
        rule
        for rule in rules
        if not rule.is_advance_warning and is_due(rule, anchor_day, today)
    ]
    warning = latest_due_warning(rules, anchor_day, today)
    if warning is not None:
        due.append(warning)
    return due
