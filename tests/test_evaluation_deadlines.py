"""The deadline of an evaluation round: set at opening, moved while open."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.helpers import (
    appoint,
    csrf_token_from,
    field_errors,
    person_values,
    version_from,
)
from workflow import clock, engine
from workflow.errors import DomainValidationError, NotPermitted, StaleDecision
from workflow.evaluation_deadlines import change_deadline
from workflow.evaluation_rounds import open_round
from workflow.evaluation_scoring import score_counselor, submit_self_assessment
from workflow.extensions import db
from workflow.models import AuditEvent, EvaluationRound, Role

OPENED_AT = datetime(2026, 1, 5, 10, 0)
DEADLINE = date(2026, 1, 30)


@pytest.fixture
def county(make_user, frozen_clock):
    """Return the staff of 远安县 with one counselor serving in 2025."""
    staff = {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
        "leader": make_user("420525", Role.LEADER),
    }
    appoint(staff["admin"], staff["reviewer"], date(2023, 3, 1), person_values(1))
    frozen_clock(OPENED_AT)
    return staff


def _open(staff):
    return open_round(staff["reviewer"], 2025, DEADLINE)


def _deadline_events(round_id):
    return db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_id == round_id,
            AuditEvent.action == "change_deadline",
        )
    ).all()


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (None, "请填写评价截止日期"),
        (date(2026, 1, 4), "截止日期不能早于今天（2026-01-05）"),
        (date(2026, 1, 5), "截止日期应晚于评价发起日期（2026-01-05）"),
    ],
)
def test_open_round_checks_deadline(county, deadline, message):
    with pytest.raises(DomainValidationError) as refusal:
        open_round(county["reviewer"], 2025, deadline)

    assert refusal.value.field == "deadline"
    assert message in str(refusal.value.user_message)
    assert db.session.scalars(select(EvaluationRound)).all() == []


def test_open_round_keeps_deadline(county):
    round_ = _open(county)

    assert db.session.get(EvaluationRound, round_.id).deadline == DEADLINE


def test_change_deadline_writes_audit_event(county):
    round_ = _open(county)
    version = round_.version
    clock.freeze(datetime(2026, 1, 20, 9, 0))

    changed = change_deadline(
        county["leader"], round_.id, date(2026, 2, 27), expected_version=version
    )

    events = _deadline_events(round_.id)
    assert changed.deadline == date(2026, 2, 27)
    assert changed.version == version + 1
    assert len(events) == 1
    assert events[0].comment == "2026-01-30 → 2026-02-27"
    assert events[0].actor_id == county["leader"].id


def test_same_deadline_writes_nothing(county):
    round_ = _open(county)

    change_deadline(county["reviewer"], round_.id, DEADLINE)

    assert _deadline_events(round_.id) == []


def test_past_deadline_rejected(county):
    round_ = _open(county)
    clock.freeze(datetime(2026, 1, 20, 9, 0))

    with pytest.raises(DomainValidationError) as refusal:
        change_deadline(county["reviewer"], round_.id, date(2026, 1, 19))

    assert "不能早于今天（2026-01-20）" in str(refusal.value.user_message)
    assert db.session.get(EvaluationRound, round_.id).deadline == DEADLINE


def test_deadline_change_by_admin_rejected(county):
    round_ = _open(county)

    with pytest.raises(NotPermitted):
        change_deadline(county["admin"], round_.id, date(2026, 2, 27))

    assert _deadline_events(round_.id) == []


def test_stale_deadline_change_rejected(county):
    round_ = _open(county)
    old_version = round_.version
    change_deadline(county["reviewer"], round_.id, date(2026, 2, 20))

    with pytest.raises(StaleDecision):
        change_deadline(county["leader"], round_.id, date(2026, 2, 27), old_version)

    assert db.session.get(EvaluationRound, round_.id).deadline == date(2026, 2, 20)


def test_deadline_editable_while_scoring_not_after(county):
    round_ = _open(county)
    entry = round_.entries[0]
    submit_self_assessment(county["admin"], entry.id, "代为录入", None)
    engine.fire(EvaluationRound, round_.id, "start_scoring", county["reviewer"])

    change_deadline(county["reviewer"], round_.id, date(2026, 2, 6))
    score_counselor(
        county["reviewer"],
        round_.id,
        entry.counselor_id,
        dict.fromkeys((key for key, _weight in round_.weights), 80),
    )
    engine.fire(EvaluationRound, round_.id, "confirm", county["leader"])

    with pytest.raises(DomainValidationError) as refusal:
        change_deadline(county["leader"], round_.id, date(2026, 2, 13))
    assert "评价结果已确认" in str(refusal.value.user_message)
    assert db.session.get(EvaluationRound, round_.id).deadline == date(2026, 2, 6)


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("", "请填写评价截止日期"),
        ("2026-01-01", "截止日期不能早于今天"),
        ("2026-01-05", "截止日期应晚于评价发起日期"),
        ("2026-02-30", "不是有效的日期值"),
    ],
)
def test_open_form_shows_deadline_errors(county, sign_in, deadline, message):
    client = sign_in(county["reviewer"])
    page = client.get("/evaluations/").get_data(as_text=True)

    response = client.post(
        "/evaluations/",
        data={
            "csrf_token": csrf_token_from(page),
            "year": "2025",
            "deadline": deadline,
        },
    )

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(EvaluationRound)).all() == []


def test_pages_show_deadline(county, sign_in):
    round_ = _open(county)
    client = sign_in(county["reviewer"])

    listing = client.get("/evaluations/").get_data(as_text=True)
    board = client.get(f"/evaluations/{round_.id}").get_data(as_text=True)

    assert "2026-01-30" in listing
    assert "截止日期 2026-01-30" in board
    assert 'value="2026-01-30"' in board


def _post_deadline(client, round_id, deadline):
    page = client.get(f"/evaluations/{round_id}").get_data(as_text=True)
    return client.post(
        f"/evaluations/{round_id}/deadline",
        data={
            "csrf_token": csrf_token_from(page),
            "version": version_from(page),
            "deadline": deadline,
        },
    )


def test_deadline_form_moves_deadline(county, sign_in):
    round_ = _open(county)
    client = sign_in(county["leader"])

    response = _post_deadline(client, round_.id, "2026-02-27")
    board = client.get(f"/evaluations/{round_.id}").get_data(as_text=True)

    db.session.expire_all()
    assert response.status_code == 303
    assert db.session.get(EvaluationRound, round_.id).deadline == date(2026, 2, 27)
    assert "修改截止日期" in board
    assert "2026-01-30 → 2026-02-27" in board


@pytest.mark.parametrize(
    ("deadline", "message"),
    [("2026-01-02", "截止日期不能早于今天"), ("", "请填写评价截止日期")],
)
def test_deadline_form_shows_errors(county, sign_in, deadline, message):
    round_ = _open(county)
    client = sign_in(county["reviewer"])

    response = _post_deadline(client, round_.id, deadline)

    assert response.status_code == 422
    assert message in " ".join(
        field_errors(response.get_data(as_text=True), "deadline")
    )
    assert db.session.get(EvaluationRound, round_.id).deadline == DEADLINE
