"""Separation of duties, enforced by the engine's guards."""

from datetime import datetime

import pytest

from tests.helpers import nominate
from workflow import engine
from workflow.errors import InvalidTransition
from workflow.models import Counselor, Role
from workflow.states.counselor import CounselorState


def _under_review(make_user, nominator=None):
    nominator = nominator or make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(nominator)
    reviewer = make_user("420525", Role.REVIEWER)
    engine.fire(Counselor, record.id, "start_review", reviewer)
    return record


def test_nominator_cannot_approve(make_user, frozen_clock):
    both = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER)
    record = _under_review(make_user, nominator=both)

    with pytest.raises(InvalidTransition) as caught:
        engine.fire(Counselor, record.id, "approve", both)

    assert "职责分离" in str(caught.value.user_message)
    assert record.state is CounselorState.UNDER_REVIEW


def test_self_approval_allowed_when_setting_off(
    make_user, frozen_clock, app, monkeypatch
):
    monkeypatch.setitem(app.config, "FORBID_SELF_APPROVAL", False)
    both = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER)
    record = _under_review(make_user, nominator=both)

    engine.fire(Counselor, record.id, "approve", both)

    assert record.state is CounselorState.PUBLIC_NOTICE


def test_nominator_cannot_appoint(make_user, frozen_clock):
    both = make_user("420525", Role.REGISTRY_ADMIN, Role.LEADER)
    record = _under_review(make_user, nominator=both)
    engine.fire(Counselor, record.id, "approve", make_user("420525", Role.REVIEWER))
    frozen_clock(datetime(2026, 3, 20, 9, 0))

    with pytest.raises(InvalidTransition, match="not_own_record"):
        engine.fire(Counselor, record.id, "appoint", both)


def test_reviewer_signs_off_when_rule_off(make_user, frozen_clock):
    record = _under_review(make_user)
    reviewer = make_user("420525", Role.REVIEWER)
    engine.fire(Counselor, record.id, "approve", reviewer)
    frozen_clock(datetime(2026, 3, 20, 9, 0))

    engine.fire(Counselor, record.id, "appoint", reviewer)

    assert record.state is CounselorState.APPOINTED


def test_sign_off_needs_another_person(make_user, frozen_clock, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_OFF_BY_OTHER_THAN_REVIEWER", True)
    record = _under_review(make_user)
    reviewer = make_user("420525", Role.REVIEWER)
    leader = make_user("420525", Role.LEADER)
    engine.fire(Counselor, record.id, "approve", reviewer)
    frozen_clock(datetime(2026, 3, 20, 9, 0))

    with pytest.raises(InvalidTransition) as caught:
        engine.fire(Counselor, record.id, "appoint", reviewer)
    engine.fire(Counselor, record.id, "appoint", leader)

    assert "审核人以外" in str(caught.value.user_message)
    assert record.state is CounselorState.APPOINTED
