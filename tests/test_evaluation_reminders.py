"""Reminders of evaluation rounds near and past their deadline, through SMTP."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from notifications.evaluation_sweep import sweep_evaluation_rounds
from notifications.sender import send_due
from notifications.sweeps import run_daily_sweeps
from tests.helpers import appoint, person_values
from workflow import clock, engine
from workflow.evaluation_deadlines import change_deadline
from workflow.evaluation_rounds import open_round
from workflow.evaluation_scoring import score_counselor, submit_self_assessment
from workflow.extensions import db
from workflow.models import EvaluationRound, Notification, Role

OPENED_ON = date(2026, 1, 5)
# Friday 27 February 2026. Seven days before falls in the Spring Festival
# holiday (15 to 23 February), so that warning moves back to Saturday
# 14 February, a make-up working day. The day after the deadline,
# Saturday 28 February, is a make-up working day too.
DEADLINE = date(2026, 2, 27)
LAST_DAY = date(2026, 3, 6)
# 兴山县 scores its last counselor on this day, between the two warnings.
XINGSHAN_DONE_ON = date(2026, 2, 24)
# On these days the sweep runs twice.
REPEATED_ON = (date(2026, 2, 14), date(2026, 2, 26), date(2026, 2, 28))

YUANAN_EXPECTED = [
    ("evaluation_due_7d", date(2026, 2, 14)),
    ("evaluation_due_1d", date(2026, 2, 26)),
    ("evaluation_overdue", date(2026, 2, 28)),
]
XINGSHAN_EXPECTED = [("evaluation_due_7d", date(2026, 2, 14))]
YICHANG_EXPECTED = [("child_evaluation_overdue", date(2026, 2, 28))]
EVALUATION_KINDS = ("evaluation_due", "evaluation_overdue", "child_evaluation_overdue")
EVALUATION_RULES = (
    "evaluation_due_7d",
    "evaluation_due_1d",
    "evaluation_overdue",
    "child_evaluation_overdue",
)


def _at(day):
    clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=8, minute=30))


def _with_mail(make_user, code, role):
    user = make_user(code, role)
    user.email = f"{user.username}@example.cn"
    db.session.commit()
    return user


def _county(make_user, code, serials):
    staff = {
        "admin": make_user(code, Role.REGISTRY_ADMIN),
        "reviewer": _with_mail(make_user, code, Role.REVIEWER),
        "leader": _with_mail(make_user, code, Role.LEADER),
    }
    for serial in serials:
        values = person_values(serial, service_area_codes=[code])
        appoint(staff["admin"], staff["reviewer"], date(2023, 3, 1), values)
    _at(OPENED_ON)
    staff["round"] = open_round(staff["reviewer"], 2025, DEADLINE)
    return staff


@pytest.fixture
def counties(make_user):
    """Return the staff and round of 远安县 and 兴山县, and 宜昌市's reviewer."""
    yuanan = _county(make_user, "420525", (1, 2, 3))
    xingshan = _county(make_user, "420526", (4, 5))
    yichang = _with_mail(make_user, "420500", Role.REVIEWER)
    return yuanan, xingshan, yichang


def _finish(county):
    round_ = county["round"]
    for entry in round_.entries:
        submit_self_assessment(county["admin"], entry.id, "由部门代为录入", None)
    engine.fire(EvaluationRound, round_.id, "start_scoring", county["reviewer"])
    scores = dict.fromkeys((key for key, _weight in round_.weights), 80)
    for entry in round_.entries:
        score_counselor(county["reviewer"], round_.id, entry.counselor_id, scores)


def _run(first, last, on_day=None):
    day = first
    while day <= last:
        _at(day)
        run_daily_sweeps(day)
        if day in REPEATED_ON:
            run_daily_sweeps(day)
        if on_day is not None:
            on_day(day)
        send_due("evaluations")
        day += timedelta(days=1)


def _received_by(server):
    # The daily sweeps also write the reporting window's messages; only the
    # evaluation messages matter here.
    received = defaultdict(list)
    for recipients, message in server.received:
        rule = message["X-Fudao-Key"].split(":")[0]
        if rule in EVALUATION_RULES:
            received[recipients[0]].append((rule, message["Date"].datetime.date()))
    return received


def _evaluation_notifications():
    return db.session.scalars(
        select(Notification).where(Notification.kind.in_(EVALUATION_KINDS))
    ).all()


def _text(server, recipient, rule):
    for recipients, message in server.received:
        if recipients[0] == recipient and message["X-Fudao-Key"].startswith(rule):
            return message["Subject"] + message.get_body(("plain",)).get_content()
    raise AssertionError(f"no {rule} message to {recipient}")


def test_round_reminders_per_department(counties, outbox_smtp):
    yuanan, xingshan, yichang = counties
    server = outbox_smtp()
    submit_self_assessment(
        yuanan["admin"], yuanan["round"].entries[0].id, "全年服务合作社12次", 90
    )

    def finish_xingshan(day):
        if day == XINGSHAN_DONE_ON:
            _finish(xingshan)

    _run(OPENED_ON, LAST_DAY, finish_xingshan)

    received = _received_by(server)
    for role in ("reviewer", "leader"):
        assert received[yuanan[role].email] == YUANAN_EXPECTED
        assert received[xingshan[role].email] == XINGSHAN_EXPECTED
    assert received[yichang.email] == YICHANG_EXPECTED
    assert len(received) == 5
    assert len(server.received) == len(set(server.keys()))


def test_reminders_count_unevaluated(counties, outbox_smtp):
    yuanan, _xingshan, yichang = counties
    server = outbox_smtp()
    submit_self_assessment(yuanan["admin"], yuanan["round"].entries[0].id, "自评", 90)

    _run(date(2026, 2, 13), date(2026, 3, 2))

    warning = _text(server, yuanan["reviewer"].email, "evaluation_due_7d")
    overdue = _text(server, yuanan["leader"].email, "evaluation_overdue")
    to_parent = _text(server, yichang.email, "child_evaluation_overdue")
    assert "距截止还有13天" in warning
    assert "尚有3名未完成评价，其中2名未提交自评" in warning
    assert "2026-02-27" in overdue
    assert "尚有3名未完成评价" in overdue
    assert "远安县农业农村局" in to_parent
    assert "尚有3名未完成评价" in to_parent


def test_no_reminders_once_all_evaluated(counties, outbox_smtp):
    yuanan, xingshan, _yichang = counties
    server = outbox_smtp()
    _at(date(2026, 2, 2))
    _finish(yuanan)
    _finish(xingshan)

    _run(date(2026, 2, 2), LAST_DAY)

    assert _received_by(server) == {}
    assert _evaluation_notifications() == []


def test_repeated_sweep_writes_nothing(counties):
    _at(DEADLINE + timedelta(days=1))

    first = sweep_evaluation_rounds(DEADLINE + timedelta(days=1))
    second = sweep_evaluation_rounds(DEADLINE + timedelta(days=1))

    assert first == {"evaluation_overdue": 8, "child_evaluation_overdue": 4}
    assert not +second


def test_round_without_deadline_gets_no_reminders(counties):
    db.session.execute(update(EvaluationRound).values(deadline=None))
    db.session.commit()

    _run(date(2026, 2, 13), LAST_DAY)

    assert _evaluation_notifications() == []


def test_moved_deadline_starts_new_series(counties):
    yuanan, _xingshan, _yichang = counties
    reviewer = yuanan["reviewer"]
    _run(date(2026, 2, 13), date(2026, 2, 14))
    _at(date(2026, 2, 24))
    change_deadline(reviewer, yuanan["round"].id, date(2026, 3, 13))

    _run(date(2026, 2, 24), date(2026, 3, 16))

    keys = db.session.scalars(
        select(Notification.idempotency_key)
        .where(
            Notification.user_id == reviewer.id,
            Notification.kind.in_(EVALUATION_KINDS),
        )
        .order_by(Notification.id)
    ).all()
    round_id = yuanan["round"].id
    assert keys == [
        f"evaluation_due_7d:{round_id}:2026-02-27:user{reviewer.id}",
        f"evaluation_due_7d:{round_id}:2026-03-13:user{reviewer.id}",
        f"evaluation_due_1d:{round_id}:2026-03-13:user{reviewer.id}",
        f"evaluation_overdue:{round_id}:2026-03-13:user{reviewer.id}",
    ]
