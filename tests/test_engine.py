"""The workflow engine: permission matrix, audit events, stale decisions."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.expected_steps import EXPECTED_STEPS
from tests.helpers import png_bytes
from workflow import engine
from workflow.conduct import Evidence
from workflow.errors import (
    DomainValidationError,
    InvalidTransition,
    RecordNotFound,
    StaleDecision,
    WorkflowError,
)
from workflow.extensions import db
from workflow.models import (
    AuditEvent,
    CertificateStatus,
    Counselor,
    CounselorTerm,
    Role,
    User,
)
from workflow.states.counselor import COUNSELOR_WORKFLOW
from workflow.states.counselor import CounselorState as S

# Every state × every declared step × every role. The expected outcome of
# each case comes from the hand-written table, not from the workflow.
# Steps a user takes; the import's own step is tested on its own below.
USER_STEPS = [
    trigger for trigger, step in COUNSELOR_WORKFLOW.steps.items() if step.interactive
]
CASES = [
    pytest.param(state, trigger, id=f"{state.value}-{trigger}")
    for state in S
    for trigger in USER_STEPS
]
COMMENT = "材料齐全"
# States of a record that has had a term of appointment.
TERM_STATES = (S.APPOINTED, S.TERM_ENDING, S.TRANSFERRED_OUT, S.STRUCK_OFF, S.WITHDRAWN)
# The arranged term ends 29 days after the frozen clock's 2026-03-02: near
# enough to mark it as ending and to renew it, and not yet over, so a
# struck-off or withdrawn counselor may still be reinstated.
TERM_STARTS_ON = date(2023, 4, 1)
TERM_ENDS_ON = date(2026, 3, 31)
LEFT_ON = date(2026, 2, 20)
CERTIFICATE_STATUS = {
    S.TRANSFERRED_OUT: CertificateStatus.EXPIRED,
    S.STRUCK_OFF: CertificateStatus.REVOKED,
    S.WITHDRAWN: CertificateStatus.EXPIRED,
}


def _audit_events(record_id):
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "counselor", AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id)
    ).all()


def _reload(record):
    db.session.expire_all()
    return db.session.get(Counselor, record.id)


def _expected_outcome(state, trigger, role):
    sources, dest, roles, _needs_reason = EXPECTED_STEPS[trigger]
    if role not in roles:
        return ("NotPermitted", state, "version kept", [])
    if state not in sources:
        return ("InvalidTransition", state, "version kept", [])
    event = (trigger, state.value, dest.value, "by actor", "actor's department")
    return ("allowed", dest, "version raised", [event])


def _arrange(make_counselor, state, serial):
    """Return a record in ``state`` that meets the guards of every step from it.

    Records are written without audit events and without a creator, so
    no actor counts as their author or reviewer under the separation of
    duties rules, and no one holds a claim on them.
    """
    if state not in TERM_STATES:
        return make_counselor("420525", state)
    certificate_number = f"420525-2023-{serial:04d}"
    left = state in CERTIFICATE_STATUS
    record = make_counselor(
        "420525",
        state,
        appointed_on=TERM_STARTS_ON,
        term_starts_on=TERM_STARTS_ON,
        term_ends_on=TERM_ENDS_ON,
        certificate_number=certificate_number,
        left_on=LEFT_ON if left else None,
    )
    db.session.add(
        CounselorTerm(
            counselor_id=record.id,
            number=1,
            starts_on=TERM_STARTS_ON,
            ends_on=TERM_ENDS_ON,
            certificate_number=certificate_number,
            certificate_status=CERTIFICATE_STATUS.get(state, CertificateStatus.VALID),
            ended_on=LEFT_ON if left else None,
            issued_on=TERM_STARTS_ON,
        )
    )
    db.session.commit()
    return record


def _step_params():
    # A strike-off needs a reason code and evidence. Other steps ignore them.
    return {
        "reason_code": "improper_benefit",
        "evidence": Evidence("处理决定.png", png_bytes()),
    }


def _attempt(make_user, make_counselor, state, trigger, role, serial):
    """Fire ``trigger`` on a new record in ``state``; describe what happened."""
    actor = make_user("420525", role)
    record = _arrange(make_counselor, state, serial)
    try:
        engine.fire(
            Counselor,
            record.id,
            trigger,
            actor,
            comment=COMMENT,
            params=_step_params(),
        )
        outcome = "allowed"
    except WorkflowError as error:
        outcome = type(error).__name__
    record = _reload(record)
    events = [
        (
            event.action,
            event.from_state,
            event.to_state,
            "by actor" if event.actor_id == actor.id else event.actor_id,
            "actor's department"
            if event.department_id == actor.department_id
            else event.department_id,
        )
        for event in _audit_events(record.id)
    ]
    # Appointment flushes the record once before reserving its certificate
    # serial, so an allowed step may raise the version by more than one.
    version = "version raised" if record.version > 1 else "version kept"
    return (outcome, record.state, version, events)


def test_matrix_covers_every_allowed_step():
    allowed = [
        (state, trigger, role)
        for state in S
        for trigger in USER_STEPS
        for role in Role
        if _expected_outcome(state, trigger, role)[0] == "allowed"
    ]

    assert len(allowed) == 26


@pytest.mark.parametrize(("state", "trigger"), CASES)
def test_step_outcome_for_every_role(
    make_user, make_counselor, frozen_clock, state, trigger
):
    expected = {role: _expected_outcome(state, trigger, role) for role in Role}

    outcomes = {
        role: _attempt(make_user, make_counselor, state, trigger, role, serial)
        for serial, role in enumerate(Role, start=1)
    }

    assert outcomes == expected


def test_allowed_step_event_carries_comment_and_time(
    make_user, make_counselor, frozen_clock
):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.UNDER_REVIEW)

    engine.fire(Counselor, record.id, "reject", reviewer, comment=" 材料不实 ")

    (event,) = _audit_events(record.id)
    assert event.comment == "材料不实"
    assert event.created_at == datetime(2026, 3, 2, 9, 0)
    assert event.record_type == "counselor"


def test_leader_with_reviewer_role_may_review(make_user, make_counselor):
    actor = make_user("420525", Role.LEADER, Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)

    engine.fire(Counselor, record.id, "start_review", actor)

    assert _reload(record).state is S.UNDER_REVIEW


@pytest.mark.parametrize("trigger", ["return_for_revision", "reject"])
@pytest.mark.parametrize("comment", [None, "", "   \n"])
def test_step_needing_reason_refused_without_one(
    make_user, make_counselor, trigger, comment
):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.UNDER_REVIEW)

    with pytest.raises(DomainValidationError, match="needs a reason") as caught:
        engine.fire(Counselor, record.id, trigger, reviewer, comment=comment)

    assert caught.value.field == "comment"
    assert _reload(record).state is S.UNDER_REVIEW
    assert _audit_events(record.id) == []


def test_unknown_step_refused(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)

    with pytest.raises(InvalidTransition, match="no step 'to_appointed'"):
        engine.fire(Counselor, record.id, "to_appointed", reviewer)

    assert _reload(record).state is S.NOMINATED


def test_missing_record_not_found(make_user):
    reviewer = make_user("420525", Role.REVIEWER)

    with pytest.raises(RecordNotFound):
        engine.fire(Counselor, 999_999, "start_review", reviewer)


def test_appoint_refused_during_notice(make_user, make_counselor, frozen_clock):
    leader = make_user("420525", Role.LEADER)
    record = make_counselor(
        "420525",
        S.PUBLIC_NOTICE,
        notice_starts_on=date(2026, 3, 2),
        notice_ends_on=date(2026, 3, 9),
    )
    frozen_clock(datetime(2026, 3, 9, 17, 0))

    with pytest.raises(InvalidTransition) as caught:
        engine.fire(Counselor, record.id, "appoint", leader)

    assert "2026-03-09" in str(caught.value.user_message)
    assert _reload(record).state is S.PUBLIC_NOTICE
    assert _audit_events(record.id) == []


def test_appoint_sets_term_and_certificate(make_user, make_counselor, frozen_clock):
    leader = make_user("420525", Role.LEADER)
    record = make_counselor("420525", S.PUBLIC_NOTICE)
    frozen_clock(datetime(2026, 3, 10, 10, 0))

    engine.fire(Counselor, record.id, "appoint", leader)

    record = _reload(record)
    assert record.appointed_on == date(2026, 3, 10)
    assert record.term_starts_on == date(2026, 3, 10)
    assert record.term_ends_on == date(2029, 3, 9)
    assert record.certificate_number == "420525-2026-0001"


def test_term_from_leap_day_ends_before_28_february(
    make_user, make_counselor, frozen_clock
):
    leader = make_user("420525", Role.LEADER)
    record = make_counselor("420525", S.PUBLIC_NOTICE)
    frozen_clock(datetime(2028, 2, 29, 10, 0))

    engine.fire(Counselor, record.id, "appoint", leader)

    assert _reload(record).term_ends_on == date(2031, 2, 27)


def test_approve_starts_notice_of_record_length(
    make_user, make_counselor, frozen_clock
):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.UNDER_REVIEW, notice_working_days=7)

    engine.fire(Counselor, record.id, "approve", reviewer)

    record = _reload(record)
    assert record.notice_starts_on == date(2026, 3, 2)
    assert record.notice_ends_on == date(2026, 3, 11)


def test_failed_effect_rolls_back_state_and_audit(
    make_user, make_counselor, frozen_clock
):
    # A certificate number already taken by an imported record makes the
    # appointment's UPDATE fail after the audit event has been added.
    leader = make_user("420525", Role.LEADER)
    make_counselor("420525", S.APPOINTED, certificate_number="420525-2026-0001")
    record = make_counselor("420525", S.PUBLIC_NOTICE)
    frozen_clock(datetime(2026, 3, 10, 10, 0))

    with pytest.raises(Exception, match="certificate_number"):
        engine.fire(Counselor, record.id, "appoint", leader)

    record = _reload(record)
    assert record.state is S.PUBLIC_NOTICE
    assert record.certificate_number is None
    assert _audit_events(record.id) == []


def test_stale_decision_names_first_reviewer(make_user, make_counselor, frozen_clock):
    first = make_user("420525", Role.REVIEWER)
    second = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.UNDER_REVIEW)
    seen = record.version
    engine.fire(Counselor, record.id, "approve", first, expected_version=seen)

    with pytest.raises(StaleDecision) as caught:
        engine.fire(
            Counselor,
            record.id,
            "reject",
            second,
            expected_version=seen,
            comment="材料不实",
        )

    message = str(caught.value.user_message)
    assert first.display_name in message
    assert "2026-03-02 09:00" in message
    assert _reload(record).state is S.PUBLIC_NOTICE
    assert len(_audit_events(record.id)) == 1


def test_update_checks_version_column(app, make_user, make_counselor):
    # The test's session keeps the record it loaded; another session moves
    # it on. The engine then works from the stale copy, and only the
    # version condition of the UPDATE stops the second step.
    reviewer = make_user("420525", Role.REVIEWER)
    other = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)
    assert record.version == 1
    with app.app_context():
        actor = db.session.get(User, other.id)
        engine.fire(Counselor, record.id, "start_review", actor)

    with pytest.raises(StaleDecision) as caught:
        engine.fire(Counselor, record.id, "start_review", reviewer)

    assert other.display_name in str(caught.value.user_message)
    assert len(_audit_events(record.id)) == 1


def test_concurrent_steps_only_one_succeeds(app, make_user, make_counselor):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("row locks between sessions need PostgreSQL or MariaDB")
    actor_ids = [make_user("420525", Role.REVIEWER).id for _ in range(2)]
    record_id = make_counselor("420525", S.NOMINATED).id
    db.session.close()
    barrier = threading.Barrier(len(actor_ids), timeout=10)
    outcomes = {}

    def decide(actor_id):
        with app.app_context():
            actor = db.session.get(User, actor_id)
            barrier.wait()
            try:
                engine.fire(
                    Counselor, record_id, "start_review", actor, expected_version=1
                )
                outcomes[actor_id] = "done"
            except StaleDecision:
                outcomes[actor_id] = "stale"

    threads = [threading.Thread(target=decide, args=(i,)) for i in actor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["done", "stale"]
    assert len(_audit_events(record_id)) == 1
    assert db.session.get(Counselor, record_id).version == 2


def test_available_steps_for_owner_roles(make_user, make_counselor):
    leader = make_user("420525", Role.LEADER)
    record = make_counselor("420525", S.PUBLIC_NOTICE)

    triggers = [step.trigger for step in engine.available_steps(leader, record)]

    assert triggers == ["uphold_objection", "appoint"]


def test_available_steps_empty_for_ancestor(make_user, make_counselor):
    reviewer = make_user("420500", Role.REVIEWER, Role.LEADER)
    record = make_counselor("420525", S.PUBLIC_NOTICE)

    assert engine.available_steps(reviewer, record) == []


def test_audit_event_cannot_be_changed(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)
    engine.fire(Counselor, record.id, "start_review", reviewer)
    (event,) = _audit_events(record.id)

    event.comment = "改写"
    with pytest.raises(PermissionError, match="append-only"):
        db.session.flush()
    db.session.rollback()

    assert _audit_events(record.id)[0].comment is None


def test_audit_event_cannot_be_deleted(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)
    engine.fire(Counselor, record.id, "start_review", reviewer)
    (event,) = _audit_events(record.id)

    db.session.delete(event)
    with pytest.raises(PermissionError, match="append-only"):
        db.session.flush()
    db.session.rollback()

    count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 1


def test_import_step_refused_outside_an_import(make_user, make_counselor, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = make_counselor(
        "420525",
        S.DRAFT,
        appointed_on=date(2025, 3, 31),
        term_starts_on=date(2025, 4, 1),
        term_ends_on=date(2028, 3, 31),
        certificate_number="420525-2025-0001",
    )

    with pytest.raises(InvalidTransition, match="only by a batch import"):
        engine.fire(Counselor, record.id, "import_appointed", admin)

    assert _reload(record).state is S.DRAFT
