"""Creating and editing nominations, and the settings copied onto them."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.helpers import nomination_values
from workflow import engine, nominations
from workflow.errors import DomainValidationError, NotPermitted, StaleDecision
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.states.counselor import CounselorState as S


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(make_user, frozen_clock):
    return make_user("420525", Role.REGISTRY_ADMIN)


def test_submitted_nomination_is_nominated(admin):
    record = nominations.create_nomination(admin, nomination_values(), submit=True)

    (event,) = db.session.scalars(select(AuditEvent)).all()
    assert record.state is S.NOMINATED
    assert record.submitted_at == datetime(2026, 3, 2, 9, 0)
    assert record.birth_date == date(1985, 3, 15)
    assert record.department_id == admin.department_id
    assert event.action == "nominate"
    assert event.from_state == "draft"


def test_draft_nomination_stays_draft(admin):
    record = nominations.create_nomination(admin, nomination_values(), submit=False)

    (event,) = db.session.scalars(select(AuditEvent)).all()
    assert record.state is S.DRAFT
    assert record.submitted_at is None
    assert event.action == "create"
    assert event.from_state is None


def test_multi_valued_fields_saved(make_user, frozen_clock):
    # A prefecture's counselor may serve several of its counties.
    admin = make_user("420500", Role.REGISTRY_ADMIN)
    values = nomination_values(
        work_areas=["组织建设", "财务会计"], service_area_codes=["420525", "420526"]
    )

    record = nominations.create_nomination(admin, values, submit=True)

    db.session.expire_all()
    record = db.session.get(Counselor, record.id)
    assert sorted(record.work_areas) == ["组织建设", "财务会计"]
    assert sorted(record.service_area_codes) == ["420525", "420526"]


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.LEADER, Role.SUPERVISOR])
def test_only_registry_admin_may_nominate(make_user, frozen_clock, role):
    user = make_user("420525", role)

    with pytest.raises(NotPermitted):
        nominations.create_nomination(user, nomination_values(), submit=True)

    assert _count(Counselor) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "A"),
        ("id_number", "420525198503150028"),
        ("gender", "男"),
        ("mobile", "23900001111"),
    ],
)
def test_invalid_value_writes_nothing(admin, field, value):
    with pytest.raises(DomainValidationError) as caught:
        nominations.create_nomination(
            admin, nomination_values(**{field: value}), submit=True
        )

    assert caught.value.field == field
    assert _count(Counselor) == 0
    assert _count(AuditEvent) == 0


@pytest.mark.parametrize(
    "state",
    [S.DRAFT, S.NOMINATED, S.UNDER_REVIEW, S.RETURNED, S.PUBLIC_NOTICE, S.APPOINTED],
)
def test_duplicate_active_id_number_refused(admin, make_counselor, state):
    holder = make_counselor("420526", state)

    with pytest.raises(DomainValidationError) as caught:
        nominations.create_nomination(
            admin, nomination_values(id_number=holder.id_number), submit=True
        )

    assert caught.value.field == "id_number"
    assert "兴山县农业农村局" in str(caught.value.user_message)
    assert _count(Counselor) == 1


def test_rejected_record_does_not_block(admin, make_counselor):
    holder = make_counselor("420526", S.REJECTED)

    record = nominations.create_nomination(
        admin, nomination_values(id_number=holder.id_number), submit=True
    )

    assert record.state is S.NOMINATED


def test_settings_copied_when_created(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_NOTICE_WORKING_DAYS", 8)
    monkeypatch.setitem(app.config, "TERM_YEARS", 5)

    record = nominations.create_nomination(admin, nomination_values(), submit=True)

    assert record.notice_working_days == 8
    assert record.term_years == 5


def test_settings_change_spares_record_under_way(
    app, admin, make_user, monkeypatch, frozen_clock
):
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominations.create_nomination(admin, nomination_values(), submit=True)
    monkeypatch.setitem(app.config, "PUBLIC_NOTICE_WORKING_DAYS", 10)
    monkeypatch.setitem(app.config, "TERM_YEARS", 5)

    engine.fire(Counselor, record.id, "start_review", reviewer)
    record = engine.fire(Counselor, record.id, "approve", reviewer)
    frozen_clock(datetime(2026, 3, 10, 9, 0))
    record = engine.fire(Counselor, record.id, "appoint", reviewer)

    assert record.notice_working_days == 5
    assert record.notice_ends_on == date(2026, 3, 9)
    assert record.term_years == 3
    assert record.term_ends_on == date(2029, 3, 9)


def _change_mobile(actor, record, version=None):
    values = nomination_values(id_number=record.id_number, mobile="13700002222")
    version = record.version if version is None else version
    nominations.update_nomination(actor, record.id, values, version)


def _stored_mobile(record):
    db.session.expire_all()
    return db.session.get(Counselor, record.id).mobile


def test_returned_record_edited_and_resubmitted(admin, make_counselor):
    record = make_counselor("420525", S.RETURNED)

    _change_mobile(admin, record)
    engine.fire(Counselor, record.id, "nominate", admin)

    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
    assert _stored_mobile(record) == "13700002222"
    assert db.session.get(Counselor, record.id).state is S.NOMINATED
    assert actions.all() == ["edit", "nominate"]


@pytest.mark.parametrize("state", [S.NOMINATED, S.UNDER_REVIEW, S.APPOINTED])
def test_record_under_way_not_editable(admin, make_counselor, state):
    record = make_counselor("420525", state)

    with pytest.raises(DomainValidationError, match="not editable"):
        _change_mobile(admin, record)

    assert _stored_mobile(record) == "13900001111"


def test_stale_edit_refused(admin, make_counselor):
    record = make_counselor("420525", S.DRAFT)

    with pytest.raises(StaleDecision):
        _change_mobile(admin, record, version=record.version - 1)

    assert _stored_mobile(record) == "13900001111"
    assert _count(AuditEvent) == 0


def test_ancestor_admin_may_not_edit(make_user, make_counselor, frozen_clock):
    admin = make_user("420500", Role.REGISTRY_ADMIN)
    record = make_counselor("420525", S.DRAFT)

    with pytest.raises(NotPermitted):
        _change_mobile(admin, record)

    assert _stored_mobile(record) == "13900001111"
