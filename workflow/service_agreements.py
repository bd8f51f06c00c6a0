"""Service agreements of filed centers and the service records under them.

Every service record names the agreement it was given under, the staff
member who gave it and the work area, so each service can be traced to its
provider, its recipient and its terms. Only the center's own account enters
agreements and records, and only while the center is filed.
"""

import logging
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import attachments, clock
from workflow.center_vocabulary import (
    ENTITY_TYPES,
    ENTITY_TYPES_WITH_CREDIT_CODE,
    SATISFACTION_LEVELS,
)
from workflow.credit_code import check_credit_code
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.jurisdiction import load_own_record
from workflow.models.service_agreement import CenterServiceRecord, ServiceAgreement
from workflow.models.service_center import ServiceCenter
from workflow.service_centers import new_attachment
from workflow.states.service_center import FILED_STATES
from workflow.vocabulary import WORK_AREAS

logger = logging.getLogger(__name__)

AGREEMENT_FIELDS = (
    "entity_name", "entity_type", "entity_credit_code", "service_items",
    "service_manner", "quality_standard", "acceptance_terms",
    "breach_liability", "period_starts_on", "period_ends_on", "fee",
    "signed_on",
)  # fmt: skip
RECORD_FIELDS = (
    "served_on", "work_area", "performed_by", "content", "result",
    "satisfaction",
)  # fmt: skip


def create_agreement(actor, center_id, values, scan):
    """Store an agreement with its scanned copy and commit.

    ``scan`` has ``filename`` and ``stream``; it is checked like every
    attachment. When the commit fails the stored scan is removed again.
    """
    center = _load_filed_center(actor, center_id)
    _check_agreement(values, clock.now().date())
    checked = attachments.check_upload(scan.filename, scan.stream, field="scan")
    stored_name = attachments.write_file(center.id, checked)
    try:
        attachment = new_attachment(
            center.id, "agreement_scan", checked, stored_name, actor
        )
        agreement = ServiceAgreement(
            center_id=center.id,
            scan=attachment,
            created_at=clock.now(),
            created_by_id=actor.id,
            **{field: values[field] for field in AGREEMENT_FIELDS},
        )
        db.session.add_all([attachment, agreement])
        db.session.commit()
    except Exception:
        db.session.rollback()
        attachments.remove_file(center.id, stored_name)
        raise
    logger.info("service_center %s: agreement %s added", center.id, agreement.id)
    return agreement


def _check_agreement(values, today):
    if values["entity_type"] not in ENTITY_TYPES:
        raise DomainValidationError(
            "entity_type",
            f"entity type {values['entity_type']!r} unknown",
            _l("请选择服务对象类型。"),
        )
    code = values.get("entity_credit_code")
    if values["entity_type"] in ENTITY_TYPES_WITH_CREDIT_CODE and not code:
        raise DomainValidationError(
            "entity_credit_code",
            "cooperative without credit code",
            _l("农民合作社须填写统一社会信用代码。"),
        )
    if code:
        check_credit_code(code, field="entity_credit_code")
    if values["period_ends_on"] < values["period_starts_on"]:
        raise DomainValidationError(
            "period_ends_on",
            "agreement period ends before it starts",
            _l("服务期限的结束日期不能早于开始日期。"),
        )
    if values["signed_on"] > today:
        raise DomainValidationError(
            "signed_on",
            "signing date in the future",
            _l("签订日期不能晚于今天。"),
        )
    _check_fee(values["fee"])


def _check_fee(fee):
    try:
        amount = Decimal(str(fee))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise DomainValidationError(
            "fee",
            f"fee {fee!r} is not a non-negative number",
            _l("服务费用应为不小于0的数字。"),
        )


def add_service_record(actor, center_id, agreement_id, values):
    """Record one service given under an agreement and commit."""
    center = _load_filed_center(actor, center_id)
    agreement = find_agreement(center, agreement_id)
    _check_record(center, agreement, values, clock.now().date())
    record = CenterServiceRecord(
        center_id=center.id,
        agreement_id=agreement.id,
        created_at=clock.now(),
        created_by_id=actor.id,
        **{field: values[field] for field in RECORD_FIELDS},
    )
    db.session.add(record)
    db.session.commit()
    logger.info(
        "service_center %s: service record %s under agreement %s",
        center.id,
        record.id,
        agreement.id,
    )
    return record


def _check_record(center, agreement, values, today):
    served_on = values["served_on"]
    if not agreement.period_starts_on <= served_on <= agreement.period_ends_on:
        raise DomainValidationError(
            "served_on",
            f"{served_on} outside agreement {agreement.id}",
            _l(
                "服务日期应在协议服务期限 %(start)s 至 %(end)s 之内。",
                start=agreement.period_starts_on,
                end=agreement.period_ends_on,
            ),
        )
    if served_on > today:
        raise DomainValidationError(
            "served_on",
            "service date in the future",
            _l("服务日期不能晚于今天。"),
        )
    if values["work_area"] not in WORK_AREAS:
        raise DomainValidationError(
            "work_area",
            f"work area {values['work_area']!r} unknown",
            _l("请选择服务类型。"),
        )
    if values["performed_by"] not in {member.name for member in center.staff}:
        raise DomainValidationError(
            "performed_by",
            "performer not on the center's staff",
            _l("服务人员须是本中心登记的工作人员。"),
        )
    if values["satisfaction"] not in SATISFACTION_LEVELS:
        raise DomainValidationError(
            "satisfaction",
            f"satisfaction {values['satisfaction']!r} not 1-5",
            _l("满意度应为1至5。"),
        )


def _load_filed_center(actor, center_id):
    center = load_own_record(
        actor,
        ServiceCenter,
        center_id,
        _l("服务协议和服务记录由服务中心自己的账号登记。"),
    )
    if center.state not in FILED_STATES:
        raise DomainValidationError(
            "state",
            f"center {center_id} is {center.state.value}, not filed",
            _l("只有已备案的服务中心可以登记服务协议和服务记录。"),
        )
    return center


def find_agreement(center, agreement_id):
    """Return the center's agreement ``agreement_id`` or raise ``LookupError``."""
    agreement = db.session.get(ServiceAgreement, agreement_id)
    if agreement is None or agreement.center_id != center.id:
        raise LookupError(f"center {center.id} has no agreement {agreement_id}")
    return agreement


def agreements_of(center_id):
    """Return a center's agreements, latest signed first."""
    return db.session.scalars(
        select(ServiceAgreement)
        .where(ServiceAgreement.center_id == center_id)
        .order_by(ServiceAgreement.signed_on.desc(), ServiceAgreement.id.desc())
    ).all()


def records_of(agreement_id):
    """Return the service records under an agreement, latest first."""
    return db.session.scalars(
        select(CenterServiceRecord)
        .where(CenterServiceRecord.agreement_id == agreement_id)
        .order_by(CenterServiceRecord.served_on.desc(), CenterServiceRecord.id.desc())
    ).all()
