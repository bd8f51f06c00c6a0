"""Entering and changing training records (培训记录).

Training hours feed the evaluation; the same authorship and closing rules
apply as to service records.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import clock
from workflow.activity_records import insert_activity, update_activity
from workflow.activity_rules import (
    check_day,
    check_year_open,
)
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models.activity import TrainingRecord
from workflow.vocabulary import TRAINING_CATEGORIES, TRAINING_LEVELS

MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("500")


@dataclass(frozen=True)
class TrainingValues:
    """The fields of a training record as entered."""

    course: str
    level: str
    category: str
    hours: Decimal
    trained_on: date


def create_training_record(actor, counselor_id, values):
    """Insert a training record for a counselor and commit; return it."""
    return insert_activity(TrainingRecord, actor, counselor_id, values, _check_values)


def update_training_record(actor, record_id, values):
    """Save changes to a training record and commit; return it."""
    return update_activity(
        TrainingRecord, actor, record_id, values, _check_values, "trained_on"
    )


def _check_values(counselor, values):
    check_day(counselor, values.trained_on, clock.now().date(), "trained_on")
    check_year_open(counselor.department_id, values.trained_on.year)
    if not 2 <= len(values.course or "") <= 100:
        raise DomainValidationError(
            "course",
            "course name is not 2-100 characters",
            _l("课程名称应为2至100个字。"),
        )
    if values.level not in TRAINING_LEVELS:
        raise DomainValidationError(
            "level", f"unknown level {values.level!r}", _l("请选择培训层级。")
        )
    if values.category not in TRAINING_CATEGORIES:
        raise DomainValidationError(
            "category", f"unknown category {values.category!r}", _l("请选择培训类别。")
        )
    if values.hours is None or not MIN_HOURS <= values.hours <= MAX_HOURS:
        raise DomainValidationError(
            "hours",
            f"hours {values.hours!r} outside {MIN_HOURS}-{MAX_HOURS}",
            _l("学时应在0.5至500之间。"),
        )


def training_records_of(counselor_id):
    """Return a counselor's training records, newest first."""
    return db.session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.counselor_id == counselor_id)
        .order_by(TrainingRecord.trained_on.desc(), TrainingRecord.id.desc())
    ).all()
