"""The annual reporting window (报送期) and its per-department extensions.

Each year, from ``REPORTING_WINDOW_OPENS`` to ``REPORTING_WINDOW_CLOSES``
(1 January to 30 June by default, both days included), departments enter
and report the previous year's registry data. Outside the window, changes
that belong to the report are rejected, unless a national registry
administrator has extended the window for that one department.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow.errors import OutsideReportingWindow
from workflow.extensions import db
from workflow.models.annual_report import ReportingWindowExtension


@dataclass(frozen=True)
class Window:
    """The days in which one department may work on one year's report."""

    year: int
    opens_on: date
    closes_on: date
    normal_closes_on: date

    @property
    def is_extended(self):
        return self.closes_on != self.normal_closes_on

    def is_open(self, day):
        """Return whether ``day`` lies inside the window."""
        return self.opens_on <= day <= self.closes_on


def report_year_on(day):
    """Return the data year whose report is due in the calendar year of ``day``."""
    return day.year - 1


def normal_window(year):
    """Return the opening and closing dates for ``year``'s report."""
    reporting_year = year + 1
    opens_on = _month_day(
        "REPORTING_WINDOW_OPENS", current_app.config["REPORTING_WINDOW_OPENS"]
    )
    closes_on = _month_day(
        "REPORTING_WINDOW_CLOSES", current_app.config["REPORTING_WINDOW_CLOSES"]
    )
    return (
        date(reporting_year, *opens_on),
        date(reporting_year, *closes_on),
    )


def _month_day(name, raw):
    try:
        month, day = (int(part) for part in raw.split("-"))
        date(2024, month, day)
    except ValueError:
        raise ValueError(
            f"{name} must be a month and day such as 06-30, got {raw!r}."
        ) from None
    return month, day


def window_for(department_id, year):
    """Return the window of ``department_id`` for ``year``, extension included."""
    opens_on, closes_on = normal_window(year)
    extension = extension_for(department_id, year)
    extended = extension.closes_on if extension is not None else closes_on
    return Window(year, opens_on, max(closes_on, extended), closes_on)


def extension_for(department_id, year):
    """Return the extension granted to ``department_id`` for ``year``, or None."""
    return db.session.scalars(
        select(ReportingWindowExtension).where(
            ReportingWindowExtension.department_id == department_id,
            ReportingWindowExtension.year == year,
        )
    ).first()


def closed_window_message(window):
    """Return the user message for a change attempted outside ``window``."""
    return _l(
        "%(year)s年度报送期为 %(opens)s 至 %(closes)s，当前不在报送期内，"
        "不能修改年度报送数据。如需延期，请联系农业农村部名录库管理员。",
        year=window.year,
        opens=window.opens_on.isoformat(),
        closes=window.closes_on.isoformat(),
    )


def require_open(department_id, today):
    """Raise ``OutsideReportingWindow`` unless the current window is open.

    Every change that belongs to the annual report calls this first.
    Returns the open window.
    """
    window = window_for(department_id, report_year_on(today))
    if not window.is_open(today):
        raise OutsideReportingWindow(
            f"department {department_id}: {today} is outside the {window.year} "
            f"window {window.opens_on}..{window.closes_on}",
            closed_window_message(window),
        )
    return window
