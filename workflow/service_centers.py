"""Service-center applications: creating, revising and their attachments.

An applicant organisation has at most one application that is open or
filed at a time. It may apply again once an earlier one was rejected,
revoked or withdrawn. The application belongs to the department of the
county it names, which reviews and files it.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import attachments, clock, engine
from workflow.center_prices import replace_price_list
from workflow.divisions import county_department
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import load_own_record
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.attachment import Attachment
from workflow.models.counselor import Counselor, CounselorServiceArea
from workflow.models.department import Department
from workflow.models.service_center import CenterService, CenterStaff, ServiceCenter
from workflow.roles import Role
from workflow.states.counselor import CounselorState
from workflow.states.service_center import CLOSED_STATES, EDITABLE_STATES

logger = logging.getLogger(__name__)

# Audit actions written here rather than by a workflow step.
ACTION_LABELS = {"create": _l("创建申请"), "edit": _l("修改申请")}

FIELDS = (
    "name", "organisation_type", "establishment", "co_building_mode",
    "county_code", "address", "service_phone", "registered_on",
    "declares_no_violation", "work_guide", "code_of_conduct",
    "price_disclosure", "record_keeping",
)  # fmt: skip


def create_application(actor, values):
    """Insert a draft application for ``actor``'s organisation and commit.

    ``values`` maps ``FIELDS`` plus ``services`` (work area, details),
    ``staff`` (name, post, counselor id or None) and ``prices`` (checked
    ``PriceRow``s) to cleaned values.
    """
    organisation = _lock_organisation(actor)
    _check_no_open_application(organisation)
    county = _county(values["county_code"])
    _check_counselors(values["staff"], county.code)
    now = clock.now()
    center = ServiceCenter(
        department_id=county.id,
        organisation_id=organisation.id,
        created_by_id=actor.id,
        created_at=now,
        state_changed_at=now,
        **{field: values[field] for field in FIELDS},
    )
    _set_rows(center, values)
    try:
        db.session.add(center)
        db.session.flush()
        engine.record_event(center, actor, "create", None, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info("service_center %s created by user %s", center.id, actor.id)
    return center


def update_application(actor, center_id, values, expected_version):
    """Save edits to a draft or returned application and commit."""
    center = _load_own(actor, center_id, for_update=True)
    _check_editable(center)
    if center.version != expected_version:
        raise engine.stale_decision(ServiceCenter, center_id)
    if values["county_code"] != center.county_code and center.submitted_at:
        raise DomainValidationError(
            "county_code",
            f"center {center_id} was submitted; county cannot change",
            _l("申请提交过后不能再变更所在区县；如需变更，请退出后重新申请。"),
        )
    county = _county(values["county_code"])
    _check_counselors(values["staff"], county.code)
    try:
        for field in FIELDS:
            setattr(center, field, values[field])
        center.department_id = county.id
        _set_rows(center, values)
        engine.record_event(center, actor, "edit", center.state, clock.now())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return center


def _set_rows(center, values):
    center.services = [
        CenterService(position=index, work_area=area, details=details)
        for index, (area, details) in enumerate(values["services"])
    ]
    center.staff = [
        CenterStaff(position=index, name=name, post=post, counselor_id=counselor_id)
        for index, (name, post, counselor_id) in enumerate(values["staff"])
    ]
    replace_price_list(center, values["prices"])


def _lock_organisation(actor):
    if not actor.is_applicant or not actor.has_role(Role.CENTER_APPLICANT):
        raise NotPermitted(
            f"user {actor.id} is not a service-center applicant",
            _l("只有服务中心申请账号可以提交备案申请。"),
        )
    # The row lock makes two simultaneous applications of one organisation
    # take turns, so the duplicate check below finds the first one.
    return db.session.scalars(
        select(ApplicantOrganisation)
        .where(ApplicantOrganisation.id == actor.organisation_id)
        .with_for_update()
    ).one()


def _check_no_open_application(organisation):
    existing = db.session.scalars(
        select(ServiceCenter).where(
            ServiceCenter.organisation_id == organisation.id,
            ServiceCenter.state.not_in(CLOSED_STATES),
        )
    ).first()
    if existing is not None:
        raise DomainValidationError(
            "credit_code",
            f"organisation {organisation.id} already has center {existing.id}",
            _l(
                "统一社会信用代码为 %(code)s 的单位已有一份%(state)s的服务中心"
                "申请，不能重复申请。",
                code=organisation.credit_code,
                state=existing.state.label,
            ),
        )


def _county(code):
    county = county_department(code)
    if county is None:
        raise DomainValidationError(
            "county_code",
            f"{code!r} is not a county with a department",
            _l("请选择服务中心所在的区县。"),
        )
    return county


def registry_counselors(county_code):
    """Return appointed counselors a center in the county may list as staff.

    These are the counselors appointed by the county's department or
    serving the county. Callers show applicants only the name and type.
    """
    serving = select(CounselorServiceArea.counselor_id).where(
        CounselorServiceArea.division_code == county_code
    )
    appointed_there = select(Department.id).where(Department.code == county_code)
    return db.session.scalars(
        select(Counselor)
        .where(
            Counselor.state == CounselorState.APPOINTED,
            Counselor.id.in_(serving) | Counselor.department_id.in_(appointed_there),
        )
        .order_by(Counselor.name, Counselor.id)
        .limit(500)
    ).all()


def _check_counselors(staff, county_code):
    linked = {counselor_id for _, _, counselor_id in staff if counselor_id}
    if not linked:
        return
    offered = {counselor.id for counselor in registry_counselors(county_code)}
    if not linked <= offered:
        raise DomainValidationError(
            "staff",
            f"counselors {sorted(linked - offered)} not offered in {county_code}",
            _l("所选辅导员不在本区县的辅导员名录中。"),
        )


def _load_own(actor, center_id, for_update=False):
    return load_own_record(
        actor,
        ServiceCenter,
        center_id,
        _l("只有服务中心自己的账号可以修改申请。"),
        for_update=for_update,
    )


def _check_editable(center):
    if center.state not in EDITABLE_STATES:
        raise DomainValidationError(
            "state",
            f"center {center.id} is {center.state.value}, not editable",
            _l("只有草稿或退回修改的申请可以修改。"),
        )


def add_attachment(actor, center_id, kind, upload):
    """Check and store an uploaded file for a draft or returned application.

    ``upload`` has ``filename`` and ``stream``. Commits; when the commit
    fails the stored file is removed again.
    """
    center = _load_own(actor, center_id)
    _check_editable(center)
    checked = attachments.check_upload(upload.filename, upload.stream)
    stored_name = attachments.write_file(center.id, checked)
    try:
        attachment = new_attachment(center.id, kind, checked, stored_name, actor)
        db.session.add(attachment)
        db.session.commit()
    except Exception:
        db.session.rollback()
        attachments.remove_file(center.id, stored_name)
        raise
    logger.info(
        "service_center %s: attachment %s (%s, %s bytes) added",
        center.id,
        attachment.id,
        kind,
        attachment.size,
    )
    return attachment


def new_attachment(center_id, kind, checked, stored_name, actor):
    """Return an unsaved ``Attachment`` row for a file already written."""
    return Attachment(
        center_id=center_id,
        kind=kind,
        original_name=checked.original_name,
        stored_name=stored_name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_at=clock.now(),
        uploaded_by_id=actor.id,
    )


def delete_attachment(actor, center_id, attachment_id):
    """Remove an attachment of a draft or returned application and commit."""
    center = _load_own(actor, center_id)
    _check_editable(center)
    attachment = find_attachment(center, attachment_id)
    stored_name = attachment.stored_name
    db.session.delete(attachment)
    db.session.commit()
    attachments.remove_file(center.id, stored_name)


def find_attachment(center, attachment_id):
    """Return the center's attachment ``attachment_id`` or raise ``LookupError``."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.center_id != center.id:
        raise LookupError(f"center {center.id} has no attachment {attachment_id}")
    return attachment


def centers_of(organisation_id):
    """Return an organisation's applications, newest first."""
    return db.session.scalars(
        select(ServiceCenter)
        .where(ServiceCenter.organisation_id == organisation_id)
        .order_by(ServiceCenter.id.desc())
    ).all()


def has_open_application(organisation_id):
    """Return whether the organisation has an application not yet closed."""
    return any(
        center.state not in CLOSED_STATES for center in centers_of(organisation_id)
    )
