"""Entering and changing service records (服务记录).

Who may write them and until when is decided in ``activity_rules``; this
module checks the fields and saves.
"""

from dataclasses import dataclass
from datetime import date

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
from workflow.models.activity import ServiceRecord
from workflow.models.entity import ServedEntity
from workflow.vocabulary import WORK_AREAS

SATISFACTION_RANGE = range(1, 6)


@dataclass(frozen=True)
class ServiceValues:
    """The fields of a service record as entered."""

    entity_id: int
    served_on: date
    work_area: str
    content: str
    result: str
    satisfaction: int


def create_service_record(actor, counselor_id, values):
    """Insert a service record for a counselor and commit; return it."""
    return insert_activity(ServiceRecord, actor, counselor_id, values, _check_values)


def update_service_record(actor, record_id, values):
    """Save changes to a service record and commit; return it."""
    return update_activity(
        ServiceRecord, actor, record_id, values, _check_values, "served_on"
    )


def _check_values(counselor, values):
    if db.session.get(ServedEntity, values.entity_id) is None:
        raise DomainValidationError(
            "entity",
            f"served entity {values.entity_id} not found",
            _l("未找到该服务主体，请先查找或新增主体。"),
        )
    check_day(counselor, values.served_on, clock.now().date(), "served_on")
    check_year_open(counselor.department_id, values.served_on.year)
    if values.work_area not in WORK_AREAS:
        raise DomainValidationError(
            "work_area",
            f"unknown service type {values.work_area!r}",
            _l("请选择服务类型。"),
        )
    if values.satisfaction not in SATISFACTION_RANGE:
        raise DomainValidationError(
            "satisfaction",
            f"satisfaction {values.satisfaction!r} is not 1-5",
            _l("满意度应为1至5分的整数。"),
        )
    for field, text in (("content", values.content), ("result", values.result)):
        if not text or len(text) > 2000:
            raise DomainValidationError(
                field, f"{field} is empty or too long", _l("请填写，最多2000字。")
            )


def service_records_of(counselor_id, year=None):
    """Return a counselor's service records, newest first."""
    query = select(ServiceRecord).where(ServiceRecord.counselor_id == counselor_id)
    if year is not None:
        query = query.where(
            ServiceRecord.served_on >= date(year, 1, 1),
            ServiceRecord.served_on <= date(year, 12, 31),
        )
    return db.session.scalars(
        query.order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
    ).all()
