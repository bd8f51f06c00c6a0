"""Who sees and who acts on a record: owner acts, ancestors read, others 404."""

import pytest
from sqlalchemy import select

from tests.helpers import nomination_values
from workflow import engine, nominations
from workflow.errors import InvalidTransition, NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.jurisdiction import is_owner, is_visible, load_visible, visible_records
from workflow.models import AuditEvent, Counselor, Role
from workflow.states.counselor import CounselorState as S

# 远安县 (420525) owns the records below. 兴山县 is its sibling under
# 宜昌市, 江岸区 a county of another prefecture of 湖北省.
OWNER = "420525"
ANCESTORS = ["420500", "420000", "000000"]
OUTSIDERS = ["420526", "420102", "420100"]


def _audit_count(record_id):
    return len(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.record_id == record_id)
        ).all()
    )


def _visible_ids(user):
    return set(
        db.session.scalars(
            visible_records(user, Counselor).with_only_columns(Counselor.id)
        )
    )


@pytest.mark.parametrize("code", [OWNER, *ANCESTORS])
def test_owner_and_ancestors_see_record(make_user, make_counselor, code):
    user = make_user(code, Role.REVIEWER)
    record = make_counselor(OWNER, S.NOMINATED)

    assert is_visible(user, record)
    assert load_visible(user, Counselor, record.id).id == record.id
    assert record.id in _visible_ids(user)


@pytest.mark.parametrize("code", OUTSIDERS)
def test_other_departments_do_not_see_record(make_user, make_counselor, code):
    user = make_user(code, Role.REVIEWER)
    record = make_counselor(OWNER, S.NOMINATED)

    assert not is_visible(user, record)
    assert record.id not in _visible_ids(user)
    with pytest.raises(RecordNotFound):
        load_visible(user, Counselor, record.id)


def test_only_owner_department_owns(make_user, make_counselor):
    owner = make_user(OWNER, Role.REVIEWER)
    prefecture = make_user("420500", Role.REVIEWER)
    record = make_counselor(OWNER, S.NOMINATED)

    assert is_owner(owner, record)
    assert not is_owner(prefecture, record)


def test_prefecture_sees_both_counties(make_user, make_counselor):
    prefecture = make_user("420500", Role.SUPERVISOR)
    yuanan = make_counselor("420525", S.NOMINATED)
    xingshan = make_counselor("420526", S.NOMINATED)
    wuhan = make_counselor("420102", S.NOMINATED)

    assert _visible_ids(prefecture) == {yuanan.id, xingshan.id}
    assert wuhan.id not in _visible_ids(prefecture)


@pytest.mark.parametrize("code", ANCESTORS)
@pytest.mark.parametrize("trigger", ["start_review", "approve", "appoint"])
def test_ancestor_refused_with_message(make_user, make_counselor, code, trigger):
    state = {"start_review": S.NOMINATED, "approve": S.UNDER_REVIEW}.get(
        trigger, S.PUBLIC_NOTICE
    )
    user = make_user(code, Role.REVIEWER, Role.LEADER)
    record = make_counselor(OWNER, state)

    with pytest.raises(NotPermitted) as caught:
        engine.fire(Counselor, record.id, trigger, user)

    assert "上级部门仅可查看" in str(caught.value.user_message)
    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is state
    assert _audit_count(record.id) == 0


@pytest.mark.parametrize("code", OUTSIDERS)
def test_outsider_step_not_found(make_user, make_counselor, code):
    user = make_user(code, Role.REVIEWER)
    record = make_counselor(OWNER, S.NOMINATED)

    with pytest.raises(RecordNotFound):
        engine.fire(Counselor, record.id, "start_review", user)

    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is S.NOMINATED
    assert _audit_count(record.id) == 0


def test_township_record_cannot_be_appointed(make_user, make_counselor, township):
    leader = make_user(township.code, Role.LEADER)
    record = make_counselor(township.code, S.PUBLIC_NOTICE)

    with pytest.raises(InvalidTransition) as caught:
        engine.fire(Counselor, record.id, "appoint", leader)

    assert "县级及以上" in str(caught.value.user_message)
    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is S.PUBLIC_NOTICE
    assert _audit_count(record.id) == 0


def test_township_cannot_enter_nomination(make_user, township, frozen_clock):
    admin = make_user(township.code, Role.REGISTRY_ADMIN)

    with pytest.raises(NotPermitted) as caught:
        nominations.create_nomination(admin, nomination_values(), submit=True)

    assert "县级农业农村部门录入" in str(caught.value.user_message)
    assert db.session.scalars(select(Counselor)).all() == []


def test_county_sees_township_record(make_user, make_counselor, township):
    county = make_user(OWNER, Role.SUPERVISOR)
    record = make_counselor(township.code, S.NOMINATED)

    assert record.id in _visible_ids(county)
