"""Annual reports (年度报送): creating them, notifying, extending windows.

Every department at county, prefecture or province level reports each
year's registry data to the department above it. The reports of a year
are created when its window opens (by the daily sweep) or when a
department first opens its report page.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from notifications.outbox import notify_department
from workflow import clock
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.idempotent_insert import insert_missing
from workflow.models.annual_report import AnnualReport, ReportingWindowExtension
from workflow.models.audit import AuditEvent
from workflow.models.department import Department, DepartmentLevel
from workflow.reporting_window import normal_window, window_for
from workflow.roles import Role
from workflow.states.annual_report import AnnualReportState

logger = logging.getLogger(__name__)

REPORTING_LEVELS = (
    DepartmentLevel.PROVINCE,
    DepartmentLevel.PREFECTURE,
    DepartmentLevel.COUNTY,
)
# Recipients of messages about a department's own report, and about a child's.
REPORTERS = (Role.REGISTRY_ADMIN, Role.LEADER)
PARENT_REVIEWERS = (Role.REVIEWER, Role.LEADER)


def is_reporting_department(department):
    """Return whether ``department`` submits an annual report upward."""
    return department.level in REPORTING_LEVELS


def ensure_reports(year, department_ids=None):
    """Create the missing reports of ``year``; return how many were added.

    Without ``department_ids`` every reporting department gets one. Safe to
    run twice at once: a report that already exists is left alone.
    """
    query = select(Department.id).where(Department.level.in_(REPORTING_LEVELS))
    if department_ids is not None:
        query = query.where(Department.id.in_(department_ids))
    existing = select(AnnualReport.department_id).where(AnnualReport.year == year)
    missing = db.session.scalars(query.where(Department.id.not_in(existing))).all()
    now = clock.now()
    rows = [
        {
            "department_id": department_id,
            "year": year,
            "state": AnnualReportState.NOT_STARTED,
            "version": 1,
            "created_at": now,
            "state_changed_at": now,
        }
        for department_id in missing
    ]
    return insert_missing(AnnualReport, rows, ["department_id", "year"])


def report_for(department, year):
    """Return ``department``'s report of ``year``, creating it if needed."""
    if not is_reporting_department(department):
        return None
    ensure_reports(year, [department.id])
    return db.session.scalars(
        select(AnnualReport).where(
            AnnualReport.department_id == department.id, AnnualReport.year == year
        )
    ).one()


def report_link(report):
    """Return the path of a report's page."""
    return f"/reports/{report.id}"


def report_context(report):
    """Return the template values every report message uses."""
    window = window_for(report.department_id, report.year)
    return {
        "department_name": report.department.name,
        "year": report.year,
        "opens_on": window.opens_on.isoformat(),
        "deadline": window.closes_on.isoformat(),
    }


def notify_parent_of_submission(report):
    """Tell the parent department's reviewers that ``report`` was submitted."""
    notify_department(
        report.department.parent_id,
        PARENT_REVIEWERS,
        "report_submitted",
        f"report_submitted:{report.id}:v{report.version}",
        report_context(report),
        about=(AnnualReport.__tablename__, report.id),
        link=report_link(report),
    )


def notify_department_of_decision(report, kind):
    """Tell the reporting department that its report was returned or accepted."""
    context = report_context(report)
    context["reason"] = report.return_reason or ""
    notify_department(
        report.department_id,
        REPORTERS,
        kind,
        f"{kind}:{report.id}:v{report.version}",
        context,
        about=(AnnualReport.__tablename__, report.id),
        link=report_link(report),
    )


def grant_extension(actor, report_id, closes_on, reason):
    """Extend one department's window to ``closes_on`` and commit.

    Only a registry administrator of the Ministry may. The new date must
    fall after the normal closing date and within the reporting year.
    Raises ``NotPermitted`` or ``DomainValidationError``.
    """
    _check_national_admin(actor)
    report = db.session.get(AnnualReport, report_id)
    if report is None:
        raise NotPermitted(f"annual report {report_id} not found")
    _check_extension_date(report, closes_on)

    try:
        extension = _save_extension(actor, report, closes_on, reason)
        _audit_extension(actor, report, closes_on, reason)
        context = report_context(report)
        context["reason"] = reason
        notify_department(
            report.department_id,
            REPORTERS,
            "window_extended",
            f"window_extended:{report.department_id}:{closes_on.isoformat()}",
            context,
            about=(AnnualReport.__tablename__, report.id),
            link=report_link(report),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "annual_report %s: window extended to %s by user %s",
        report.id,
        closes_on,
        actor.id,
    )
    return extension


def _check_national_admin(actor):
    if actor.department.level is not DepartmentLevel.MINISTRY or not actor.has_role(
        Role.REGISTRY_ADMIN
    ):
        raise NotPermitted(
            f"user {actor.id} is not a registry administrator of the Ministry",
            _l("只有农业农村部名录库管理员可以延长报送期。"),
        )


def _check_extension_date(report, closes_on):
    _, normal_closes_on = normal_window(report.year)
    last_day = normal_closes_on.replace(month=12, day=31)
    if not normal_closes_on < closes_on <= last_day:
        raise DomainValidationError(
            "closes_on",
            f"extension {closes_on} outside {normal_closes_on}..{last_day}",
            _l(
                "延长后的截止日期须晚于 %(normal)s，且不晚于 %(last)s。",
                normal=normal_closes_on.isoformat(),
                last=last_day.isoformat(),
            ),
        )


def _save_extension(actor, report, closes_on, reason):
    extension = db.session.scalars(
        select(ReportingWindowExtension).where(
            ReportingWindowExtension.department_id == report.department_id,
            ReportingWindowExtension.year == report.year,
        )
    ).first()
    if extension is None:
        extension = ReportingWindowExtension(
            department_id=report.department_id, year=report.year
        )
        db.session.add(extension)
    extension.closes_on = closes_on
    extension.reason = reason
    extension.granted_by_id = actor.id
    extension.granted_at = clock.now()
    return extension


def _audit_extension(actor, report, closes_on, reason):
    db.session.add(
        AuditEvent(
            record_type=AnnualReport.__tablename__,
            record_id=report.id,
            action="extend_window",
            from_state=report.state.value,
            to_state=report.state.value,
            comment=f"{closes_on.isoformat()} {reason}",
            actor_id=actor.id,
            department_id=actor.department_id,
            created_at=clock.now(),
        )
    )
