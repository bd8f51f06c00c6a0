"""The service-center state machine driven through the domain services."""

import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import PDF_BYTES, PNG_BYTES, application_values
from workflow import engine, service_centers, supervision
from workflow.errors import InvalidTransition, NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.models import (
    AuditEvent,
    Rectification,
    Role,
    ServiceCenter,
    SupervisionEvaluation,
)
from workflow.states.service_center import CenterState


class Upload:
    """A file as the forms hand it to the services."""

    def __init__(self, filename, content):
        self.filename = filename
        self.stream = io.BytesIO(content)


def _application(applicant, **overrides):
    center = service_centers.create_application(
        applicant, application_values(**overrides)
    )
    service_centers.add_attachment(
        applicant, center.id, "registration_certificate", Upload("执照.pdf", PDF_BYTES)
    )
    service_centers.add_attachment(
        applicant, center.id, "premises_proof", Upload("场所.png", PNG_BYTES)
    )
    return center


def _fire(center, trigger, actor, **kwargs):
    return engine.fire(ServiceCenter, center.id, trigger, actor, **kwargs)


def _filed_center(applicant, reviewer):
    center = _application(applicant)
    for trigger, actor in (
        ("submit", applicant),
        ("start_review", reviewer),
        ("file", reviewer),
    ):
        center = _fire(center, trigger, actor)
    return center


def _evaluation(year, quality, management, satisfaction):
    return supervision.score_evaluation(
        year,
        {
            "service_quality": quality,
            "management": management,
            "satisfaction": satisfaction,
        },
    )


def test_filing_assigns_number_and_publishes_prices(
    make_user, make_applicant, frozen_clock
):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)

    center = _filed_center(applicant, reviewer)

    assert center.state is CenterState.FILED
    assert center.filing_number == "FW-420525-2026-001"
    assert center.filed_on == date(2026, 3, 2)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == center.id)
    ).all()
    assert actions == ["create", "submit", "start_review", "file"]


def test_failed_evaluation_orders_rectification(
    make_user, make_applicant, frozen_clock
):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    evaluation = _evaluation(2025, 50, 60, 70)

    center = supervision.evaluate_center(
        reviewer, center.id, evaluation, "台账不全", date(2026, 4, 1), center.version
    )

    assert center.state is CenterState.RECTIFYING
    assert center.rectification_deadline == date(2026, 4, 1)
    stored = db.session.scalar(select(SupervisionEvaluation))
    assert stored.total == evaluation.total
    assert str(stored.total) == "59.00"
    assert stored.passed is False
    order = db.session.scalar(select(Rectification))
    assert order.evaluation_id == stored.id
    assert order.reason == "台账不全"


def test_passing_evaluation_keeps_center(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)

    center = supervision.evaluate_center(
        reviewer, center.id, _evaluation(2025, 90, 80, 85), None, None, center.version
    )

    assert center.state is CenterState.FILED
    assert db.session.scalar(select(SupervisionEvaluation.passed)) is True


def test_evaluation_weights_are_settings(app, make_user, make_applicant, frozen_clock):
    saved = app.config["CENTER_EVALUATION_WEIGHTS"]
    app.config["CENTER_EVALUATION_WEIGHTS"] = {
        "service_quality": 0,
        "management": 0,
        "satisfaction": 1,
    }
    try:
        evaluation = _evaluation(2025, 0, 0, 80)
    finally:
        app.config["CENTER_EVALUATION_WEIGHTS"] = saved

    assert str(evaluation.total) == "80.00"
    assert evaluation.passed


def test_second_evaluation_in_year_refused(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.evaluate_center(
        reviewer, center.id, _evaluation(2025, 90, 90, 90), None, None, center.version
    )

    with pytest.raises(Exception, match="already evaluated") as caught:
        supervision.evaluate_center(
            reviewer,
            center.id,
            _evaluation(2025, 90, 90, 90),
            None,
            None,
            center.version,
        )

    assert "不能重复评价" in str(caught.value.user_message)
    assert db.session.query(SupervisionEvaluation).count() == 1


def test_rectification_accepted_keeps_center(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, date(2026, 3, 20), "价格未公示", center.version
    )

    center = _fire(center, "submit_rectification", applicant, comment="已上墙公示")
    center = _fire(center, "accept_rectification", reviewer)

    assert center.state is CenterState.FILED
    assert center.rectification_deadline is None
    order = db.session.scalar(select(Rectification))
    assert order.report == "已上墙公示"
    assert order.outcome == "accepted"


def test_rectification_after_deadline_refused(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, date(2026, 3, 20), "价格未公示", center.version
    )
    frozen_clock(datetime(2026, 3, 21, 9, 0))

    with pytest.raises(InvalidTransition) as caught:
        _fire(center, "submit_rectification", applicant, comment="迟交的报告")

    assert "整改期限已于 2026-03-20 届满" in str(caught.value.user_message)
    db.session.expire_all()
    assert center.state is CenterState.RECTIFYING
    assert db.session.scalar(select(Rectification.report)) is None


def test_rectification_by_another_applicant_not_found(
    make_user, make_applicant, frozen_clock
):
    applicant = make_applicant()
    stranger = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, date(2026, 3, 20), "价格未公示", center.version
    )

    with pytest.raises(RecordNotFound):
        _fire(center, "submit_rectification", stranger, comment="冒名提交")

    db.session.expire_all()
    assert center.state is CenterState.RECTIFYING


def test_rectification_by_reviewer_refused(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, date(2026, 3, 20), "价格未公示", center.version
    )

    with pytest.raises(NotPermitted):
        _fire(center, "submit_rectification", reviewer, comment="代为提交")

    db.session.expire_all()
    assert center.state is CenterState.RECTIFYING


def test_revocation_waits_for_deadline(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, date(2026, 3, 20), "服务记录造假", center.version
    )

    with pytest.raises(InvalidTransition):
        _fire(center, "revoke", reviewer, comment="逾期未整改")
    frozen_clock(datetime(2026, 3, 21, 9, 0))
    center = _fire(center, "revoke", reviewer, comment="逾期未整改")

    assert center.state is CenterState.REVOKED
    assert center.closed_on == date(2026, 3, 21)
    assert db.session.scalar(select(Rectification.outcome)) == "revoked"


@pytest.mark.parametrize(
    ("overrides", "setting", "message"),
    [
        ({"registered_on": date(2025, 1, 1)}, {}, "依法登记满2年"),
        ({"declares_no_violation": False}, {}, "承诺近2年无严重违法违规行为"),
        ({"registered_on": date(2023, 6, 1)}, {"CENTER_MIN_OPERATING_YEARS": 3},
         "依法登记满3年"),
    ],
)  # fmt: skip
def test_entry_checks_block_submission(
    app, make_applicant, frozen_clock, overrides, setting, message
):
    applicant = make_applicant()
    center = _application(applicant, **overrides)
    saved = {key: app.config[key] for key in setting}
    app.config.update(setting)

    try:
        with pytest.raises(InvalidTransition) as caught:
            _fire(center, "submit", applicant)
    finally:
        app.config.update(saved)

    assert message in str(caught.value.user_message)
    db.session.expire_all()
    assert center.state is CenterState.DRAFT


def test_missing_attachment_blocks_submission(make_applicant, frozen_clock):
    applicant = make_applicant()
    center = service_centers.create_application(applicant, application_values())

    with pytest.raises(InvalidTransition) as caught:
        _fire(center, "submit", applicant)

    assert "上传营业执照或法人登记证书" in str(caught.value.user_message)
    assert "上传服务场所证明" in str(caught.value.user_message)


def test_withdrawal_closes_center(make_user, make_applicant, frozen_clock):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    frozen_clock(datetime(2026, 3, 2, 9, 0) + timedelta(days=40))

    center = _fire(center, "withdraw", applicant, comment="业务调整")

    assert center.state is CenterState.WITHDRAWN
    assert center.closed_on == date(2026, 4, 11)
    assert service_centers.has_open_application(applicant.organisation_id) is False
