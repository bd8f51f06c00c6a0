"""Yearly figures of appointed counselors, entered for the annual report.

Each year's report carries how many cooperatives, family farms and other
entities every appointed counselor served in the year reported. Entering
them is a registry change that belongs to the report, so it is accepted
only inside the department's reporting window, and the first one starts
the department's report.
"""

import logging

from flask_babel import lazy_gettext as _l

from workflow import clock, engine
from workflow.annual_reports import report_for
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.annual_report import AnnualReport
from workflow.models.audit import AuditEvent
from workflow.models.counselor import Counselor
from workflow.reporting_window import require_open
from workflow.roles import Role
from workflow.states.annual_report import AnnualReportState
from workflow.states.counselor import SERVING_STATES

logger = logging.getLogger(__name__)

FIGURES = ("served_cooperatives", "served_family_farms", "served_others")
# Audit action written here rather than by a workflow step.
ACTION_LABELS = {"update_figures": _l("更新年度服务数据")}


def update_served_figures(actor, counselor_id, values, expected_version):
    """Save a counselor's served-entity counts for the reported year; commit.

    Raises ``OutsideReportingWindow`` outside the window, ``NotPermitted``
    for anyone but a registry administrator of the appointing department,
    ``DomainValidationError`` unless the counselor is serving, and
    ``StaleDecision`` when the record changed since it was loaded.
    """
    if not actor.has_role(Role.REGISTRY_ADMIN):
        raise NotPermitted(f"user {actor.id} is not a registry administrator")
    counselor = load_visible(actor, Counselor, counselor_id, for_update=True)
    if not is_owner(actor, counselor):
        raise NotPermitted(
            f"user {actor.id} does not own counselor {counselor_id}",
            _l("只有聘任部门可以更新该辅导员的年度数据。"),
        )
    if counselor.state not in SERVING_STATES:
        raise DomainValidationError(
            "state",
            f"counselor {counselor_id} is {counselor.state.value}, not appointed",
            _l("只有已聘任的辅导员需要填报年度服务数据。"),
        )
    if counselor.version != expected_version:
        raise engine.stale_decision(Counselor, counselor_id)
    today = clock.now().date()
    window = require_open(actor.department_id, today)

    try:
        _start_report(actor, window.year)
        for field in FIGURES:
            setattr(counselor, field, values[field])
        _audit(actor, counselor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "counselor %s: %s figures updated by user %s",
        counselor.id,
        window.year,
        actor.id,
    )
    return counselor


def _start_report(actor, year):
    report = report_for(actor.department, year)
    if report is not None and report.state is AnnualReportState.NOT_STARTED:
        engine.take_step(AnnualReport, report.id, "start", actor)


def _audit(actor, counselor):
    figures = ", ".join(f"{field}={getattr(counselor, field)}" for field in FIGURES)
    db.session.add(
        AuditEvent(
            record_type=Counselor.__tablename__,
            record_id=counselor.id,
            action="update_figures",
            from_state=counselor.state.value,
            to_state=counselor.state.value,
            comment=figures,
            actor_id=actor.id,
            department_id=actor.department_id,
            created_at=clock.now(),
        )
    )
