"""Terms, renewal, leaving and strike-off in the counselor workflow."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.helpers import appoint, person_values, png_bytes
from workflow import clock, engine, nominations
from workflow.conduct import Evidence, strike_off_counselor
from workflow.errors import DomainValidationError, InvalidTransition, NotPermitted
from workflow.extensions import db
from workflow.models import (
    AuditEvent,
    CertificateStatus,
    Counselor,
    CounselorTerm,
    Role,
    StrikeOff,
)
from workflow.states.counselor import CounselorState
from workflow.term_endings import mark_terms_ending


@pytest.fixture
def staff(make_user):
    return {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
        "leader": make_user("420525", Role.LEADER),
    }


@pytest.fixture
def counselor(staff, frozen_clock):
    return appoint(
        staff["admin"], staff["reviewer"], date(2023, 3, 1), person_values(1)
    )


def _terms(record):
    return db.session.scalars(
        select(CounselorTerm)
        .where(CounselorTerm.counselor_id == record.id)
        .order_by(CounselorTerm.number)
    ).all()


def _at(day):
    clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=10))


def test_appointment_opens_first_term(counselor):
    terms = _terms(counselor)

    assert len(terms) == 1
    assert terms[0].certificate_number == counselor.certificate_number
    assert terms[0].starts_on == counselor.appointed_on
    assert terms[0].ends_on == date(2026, 3, 8)
    assert terms[0].certificate_status is CertificateStatus.VALID


def test_term_ending_refused_long_before_end(counselor, staff):
    _at(date(2025, 6, 1))

    with pytest.raises(InvalidTransition) as refusal:
        engine.fire(Counselor, counselor.id, "start_term_ending", staff["reviewer"])

    assert "暂不能办理续聘" in str(refusal.value.user_message)


def test_daily_job_moves_due_counselors_once(counselor, staff):
    later = appoint(
        staff["admin"], staff["reviewer"], date(2024, 5, 6), person_values(2)
    )
    _at(date(2026, 1, 5))

    first_run = mark_terms_ending()
    second_run = mark_terms_ending()

    db.session.expire_all()
    assert first_run == 1
    assert second_run == 0
    assert counselor.state is CounselorState.TERM_ENDING
    assert later.state is CounselorState.APPOINTED
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "start_term_ending")
    ).one()
    assert event.actor.has_role(Role.SYSTEM)
    assert event.actor.is_enabled is False


def test_renewal_issues_new_certificate_and_term(counselor, staff):
    _at(date(2026, 1, 5))
    mark_terms_ending()
    old_number = counselor.certificate_number

    renewed = engine.fire(Counselor, counselor.id, "renew", staff["leader"])

    terms = _terms(renewed)
    assert renewed.state is CounselorState.APPOINTED
    assert len(terms) == 2
    assert renewed.certificate_number == "420525-2026-0001"
    assert renewed.certificate_number != old_number
    assert terms[1].starts_on == date(2026, 3, 9)
    assert terms[1].ends_on == date(2029, 3, 8)


def test_transfer_out_leaves_registry(counselor, staff):
    _at(date(2026, 1, 5))
    mark_terms_ending()

    record = engine.fire(
        Counselor, counselor.id, "transfer_out", staff["leader"], comment="不再续聘"
    )

    assert record.state is CounselorState.TRANSFERRED_OUT
    assert record.left_on == date(2026, 1, 5)
    assert _terms(record)[0].certificate_status is CertificateStatus.EXPIRED


def _strike_off(record, actor, content=None, reason_code="improper_benefit"):
    evidence = Evidence("处理决定.png", png_bytes() if content is None else content)
    return strike_off_counselor(
        actor,
        record.id,
        reason_code,
        "利用辅导为亲属合作社争取项目",
        evidence,
        record.version,
    )


def test_strike_off_revokes_certificate_and_keeps_evidence(counselor, staff):
    _at(date(2024, 6, 3))

    record = _strike_off(counselor, staff["leader"])

    strike_off = db.session.scalars(select(StrikeOff)).one()
    term = _terms(record)[0]
    assert record.state is CounselorState.STRUCK_OFF
    assert term.certificate_status is CertificateStatus.REVOKED
    assert term.ended_on == date(2024, 6, 3)
    assert record.certificate_number == term.certificate_number
    assert strike_off.reason_code == "improper_benefit"
    assert strike_off.evidence == png_bytes()
    assert strike_off.evidence_content_type == "image/png"


@pytest.mark.parametrize(
    ("content", "reason_code", "field"),
    [
        (b"", "improper_benefit", "evidence"),
        (b"MZ\x90\x00 not a document", "improper_benefit", "evidence"),
    ],
)
def test_strike_off_rejects_bad_evidence(counselor, staff, content, reason_code, field):
    _at(date(2024, 6, 3))

    with pytest.raises(DomainValidationError) as refusal:
        _strike_off(counselor, staff["leader"], content, reason_code)

    db.session.expire_all()
    assert refusal.value.field == field
    assert counselor.state is CounselorState.APPOINTED
    assert db.session.scalars(select(StrikeOff)).first() is None


def test_strike_off_needs_reason_code(counselor, staff):
    _at(date(2024, 6, 3))

    with pytest.raises(InvalidTransition) as refusal:
        _strike_off(counselor, staff["leader"], reason_code="unknown")

    db.session.expire_all()
    assert "除名原因" in str(refusal.value.user_message)
    assert counselor.state is CounselorState.APPOINTED


def test_cooling_off_blocks_nomination(counselor, staff, make_user):
    _at(date(2024, 6, 3))
    _strike_off(counselor, staff["leader"])
    other_county = make_user("420526", Role.REGISTRY_ADMIN)
    _at(date(2026, 6, 2))

    with pytest.raises(DomainValidationError) as refusal:
        nominations.create_nomination(
            other_county, person_values(1, service_area_codes=["420526"]), False
        )

    assert refusal.value.field == "id_number"
    assert "2026-06-03 前不得再次推荐" in str(refusal.value.user_message)


def test_nomination_allowed_after_cooling_off(counselor, staff, make_user):
    _at(date(2024, 6, 3))
    _strike_off(counselor, staff["leader"])
    other_county = make_user("420526", Role.REGISTRY_ADMIN)
    _at(date(2026, 6, 3))

    record = nominations.create_nomination(
        other_county, person_values(1, service_area_codes=["420526"]), False
    )

    assert record.state is CounselorState.DRAFT


def test_withdrawal_then_reinstatement_issues_new_certificate(counselor, staff):
    _at(date(2024, 6, 3))
    engine.fire(
        Counselor, counselor.id, "withdraw", staff["reviewer"], comment="本人申请退出"
    )
    _at(date(2024, 7, 1))

    record = engine.fire(
        Counselor, counselor.id, "reinstate", staff["leader"], comment="撤回退出申请"
    )

    terms = _terms(record)
    assert record.state is CounselorState.APPOINTED
    assert record.left_on is None
    assert len(terms) == 2
    assert terms[1].ends_on == terms[0].ends_on
    assert terms[1].certificate_number == record.certificate_number
    assert terms[0].certificate_status is CertificateStatus.EXPIRED


def test_reinstatement_lifts_strike_off(counselor, staff):
    _at(date(2024, 6, 3))
    _strike_off(counselor, staff["leader"])

    engine.fire(
        Counselor, counselor.id, "reinstate", staff["leader"], comment="复议撤销处理"
    )

    assert db.session.scalars(select(StrikeOff)).one().lifted_on == date(2024, 6, 3)


def test_reinstatement_only_by_leader(counselor, staff):
    _at(date(2024, 6, 3))
    _strike_off(counselor, staff["leader"])

    with pytest.raises(NotPermitted):
        engine.fire(
            Counselor, counselor.id, "reinstate", staff["reviewer"], comment="理由"
        )


def test_reinstatement_refused_after_term_end(counselor, staff):
    _at(date(2024, 6, 3))
    engine.fire(Counselor, counselor.id, "withdraw", staff["leader"], comment="退出")
    _at(date(2026, 4, 1))

    with pytest.raises(InvalidTransition) as refusal:
        engine.fire(
            Counselor, counselor.id, "reinstate", staff["leader"], comment="理由"
        )

    assert "原聘期已结束" in str(refusal.value.user_message)


def test_withdrawn_person_may_join_another_department(counselor, staff, make_user):
    _at(date(2024, 6, 3))
    engine.fire(Counselor, counselor.id, "withdraw", staff["leader"], comment="调动")
    other_county = make_user("420526", Role.REGISTRY_ADMIN)

    record = nominations.create_nomination(
        other_county, person_values(1, service_area_codes=["420526"]), False
    )

    assert record.department.code == "420526"


def test_term_ending_counselor_still_blocks_second_nomination(
    counselor, staff, make_user
):
    _at(date(2026, 1, 5))
    mark_terms_ending()
    other_county = make_user("420526", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError) as refusal:
        nominations.create_nomination(
            other_county, person_values(1, service_area_codes=["420526"]), False
        )

    assert refusal.value.field == "id_number"


def test_certificate_reads_expired_after_term(counselor):
    term = _terms(counselor)[0]
    _at(date(2026, 3, 9))

    status = term.current_status

    assert status is CertificateStatus.EXPIRED
    assert term.certificate_status is CertificateStatus.VALID
