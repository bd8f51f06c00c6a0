"""A whole evaluation round for a county, and what its grades lead to."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.helpers import appoint, cooperative_code, person_values
from workflow import clock, engine
from workflow.entities import EntityValues, create_entity
from workflow.errors import DomainValidationError, InvalidTransition
from workflow.evaluation_rounds import board, open_round
from workflow.evaluation_scoring import (
    grade_for,
    score_counselor,
    submit_self_assessment,
    weighted_total,
)
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, EntityKind, EvaluationRound, Role
from workflow.self_service import open_account
from workflow.service_records import (
    ServiceValues,
    create_service_record,
    update_service_record,
)
from workflow.states.counselor import CounselorState
from workflow.states.evaluation import EvaluationRoundState
from workflow.term_endings import mark_terms_ending

INDICATORS = (
    "entities_served",
    "service_records",
    "quality_improvement",
    "satisfaction",
    "training_hours",
    "timely_reporting",
)
CUTOFFS = [["优秀", 90], ["合格", 70], ["基本合格", 60], ["不合格", 0]]


def _at(day):
    clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=10))


def _scores(value):
    return dict.fromkeys(INDICATORS, value)


@pytest.fixture
def county(make_user, frozen_clock):
    staff = {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
        "leader": make_user("420525", Role.LEADER),
    }
    counselors = [
        appoint(staff["admin"], staff["reviewer"], date(2023, 3, 1), person_values(n))
        for n in (1, 2, 3)
    ]
    _at(date(2025, 12, 15))
    entity = create_entity(
        staff["admin"],
        EntityValues(
            EntityKind.COOPERATIVE,
            "远安县嫘祖蚕桑专业合作社",
            cooperative_code(7),
            "420525",
        ),
    )
    return staff, counselors, entity


def _serve(author, counselor, entity, day):
    return create_service_record(
        author,
        counselor.id,
        ServiceValues(entity.id, day, "规范运营", "指导召开成员大会", "修订章程", 4),
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [(100, "优秀"), (90, "优秀"), (89.99, "合格"), (70, "合格"), (60, "基本合格"),
     (59.99, "不合格"), (0, "不合格")],
)  # fmt: skip
def test_grade_cutoffs(total, grade):
    assert grade_for(total, CUTOFFS) == grade


def test_weighted_total_normalises_weights():
    weights = [["a", 3], ["b", 1]]

    assert str(weighted_total(weights, {"a": 80, "b": 40})) == "70.00"


def test_whole_round_drives_renewal(county):
    staff, (good, fair, poor), entity = county
    account, _password = open_account(staff["admin"], good.id, "good-counselor")
    _serve(account, good, entity, date(2025, 5, 6))
    record = _serve(staff["admin"], fair, entity, date(2025, 5, 7))

    _at(date(2026, 1, 5))
    round_ = open_round(staff["reviewer"], 2025, date(2026, 1, 30))
    entries = {entry.counselor_id: entry for entry in round_.entries}
    submit_self_assessment(account, entries[good.id].id, "全年服务合作社12次", 92)
    with pytest.raises(InvalidTransition) as early:
        engine.fire(EvaluationRound, round_.id, "start_scoring", staff["reviewer"])
    assert "未提交自评" in str(early.value.user_message)
    for counselor in (fair, poor):
        submit_self_assessment(
            staff["admin"], entries[counselor.id].id, "由部门代为录入", None
        )
    engine.fire(EvaluationRound, round_.id, "start_scoring", staff["reviewer"])

    score_counselor(staff["reviewer"], round_.id, good.id, _scores(95))
    score_counselor(staff["reviewer"], round_.id, fair.id, _scores(75))
    with pytest.raises(InvalidTransition) as unscored:
        engine.fire(EvaluationRound, round_.id, "confirm", staff["leader"])
    assert "未评分" in str(unscored.value.user_message)
    score_counselor(staff["reviewer"], round_.id, poor.id, _scores(50))
    engine.fire(EvaluationRound, round_.id, "confirm", staff["leader"])
    engine.fire(EvaluationRound, round_.id, "publish", staff["leader"])

    summary = board(db.session.get(EvaluationRound, round_.id))
    assert summary.grades == [("优秀", 1), ("合格", 1), ("基本合格", 0), ("不合格", 1)]
    assert entries[fair.id].figures["entities_served"] == 1

    with pytest.raises(DomainValidationError) as locked:
        update_service_record(
            staff["admin"],
            record.id,
            ServiceValues(entity.id, date(2025, 5, 8), "规范运营", "改", "改", 3),
        )
    assert "2025年度评价已确认" in str(locked.value.user_message)

    mark_terms_ending()
    renewed = engine.fire(Counselor, good.id, "renew", staff["leader"])
    assert renewed.state is CounselorState.APPOINTED
    with pytest.raises(InvalidTransition) as blocked:
        engine.fire(Counselor, poor.id, "renew", staff["leader"])
    assert "不合格" in str(blocked.value.user_message)
    left = engine.fire(
        Counselor, poor.id, "transfer_out", staff["leader"], comment="年度评价不合格"
    )
    assert left.state is CounselorState.TRANSFERRED_OUT


def _scoring_round(county):
    staff, counselors, _entity = county
    _at(date(2026, 1, 5))
    round_ = open_round(staff["reviewer"], 2025, date(2026, 1, 30))
    for entry in round_.entries:
        submit_self_assessment(staff["admin"], entry.id, "自评", None)
    engine.fire(EvaluationRound, round_.id, "start_scoring", staff["reviewer"])
    return staff, counselors, round_


def test_adjusting_score_needs_reason_kept_in_audit(county):
    staff, (good, *_rest), round_ = _scoring_round(county)
    score_counselor(staff["reviewer"], round_.id, good.id, _scores(80))

    with pytest.raises(DomainValidationError) as refusal:
        score_counselor(staff["reviewer"], round_.id, good.id, _scores(90))
    entry = score_counselor(
        staff["reviewer"], round_.id, good.id, _scores(90), reason="补充了示范社材料"
    )

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "adjust_score")
    ).one()
    assert refusal.value.field == "reason"
    assert entry.grade == "优秀"
    assert "80.00 → 90.00" in event.comment
    assert "补充了示范社材料" in event.comment


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({**_scores(80), "satisfaction": 101}, "satisfaction"),
        ({**_scores(80), "training_hours": None}, "training_hours"),
        ({**_scores(80), "timely_reporting": "80"}, "timely_reporting"),
    ],
)
def test_bad_indicator_score_refused(county, scores, field):
    staff, (good, *_rest), round_ = _scoring_round(county)

    with pytest.raises(DomainValidationError) as refusal:
        score_counselor(staff["reviewer"], round_.id, good.id, scores)

    assert refusal.value.field == field


def test_scoring_counselor_not_serving_that_year_refused(county):
    staff, _counselors, round_ = _scoring_round(county)
    newcomer = appoint(
        staff["admin"], staff["reviewer"], date(2026, 1, 6), person_values(4)
    )

    with pytest.raises(DomainValidationError) as refusal:
        score_counselor(staff["reviewer"], round_.id, newcomer.id, _scores(80))

    assert "不在本批次评价范围内" in str(refusal.value.user_message)


def test_second_round_for_same_year_refused(county):
    staff, _counselors, _entity = county
    _at(date(2026, 1, 5))
    open_round(staff["reviewer"], 2025, date(2026, 1, 30))

    with pytest.raises(DomainValidationError) as refusal:
        open_round(staff["leader"], 2025, date(2026, 1, 30))

    assert "已存在" in str(refusal.value.user_message)
    assert db.session.query(EvaluationRound).count() == 1


def test_round_for_future_year_refused(county):
    staff, _counselors, _entity = county

    with pytest.raises(DomainValidationError) as refusal:
        open_round(staff["reviewer"], 2026, date(2026, 1, 30))

    assert refusal.value.field == "year"


def test_self_assessment_closed_once_scoring_starts(county):
    staff, (good, *_rest), round_ = _scoring_round(county)
    entry = next(e for e in round_.entries if e.counselor_id == good.id)

    with pytest.raises(DomainValidationError) as refusal:
        submit_self_assessment(staff["admin"], entry.id, "补交", None)

    assert "自评阶段已结束" in str(refusal.value.user_message)


def test_reopened_round_reopens_year(county):
    staff, counselors, round_ = _scoring_round(county)
    for counselor in counselors:
        score_counselor(staff["reviewer"], round_.id, counselor.id, _scores(80))
    engine.fire(EvaluationRound, round_.id, "confirm", staff["leader"])

    reopened = engine.fire(
        EvaluationRound,
        round_.id,
        "reopen_scoring",
        staff["leader"],
        comment="服务记录有遗漏",
    )

    assert reopened.state is EvaluationRoundState.SCORING
