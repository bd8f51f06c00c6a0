"""The bell, the notification list, email preferences and delivery status."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from notifications.outbox import notify_users
from tests.helpers import csrf_token_from
from workflow.extensions import db
from workflow.models import (
    EmailOptOut,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Role,
)

REPORT_VALUES = {"department_name": "远安县农业农村局", "year": 2025}


@pytest.fixture
def admin(make_user, frozen_clock):
    """Return a county registry administrator with a mail address."""
    frozen_clock(datetime(2026, 6, 1, 9, 0))
    user = make_user("420525", Role.REGISTRY_ADMIN)
    user.email = "admin@yuanan.example.cn"
    db.session.commit()
    return user


def _notify(user, kind="report_accepted", key="accepted:1"):
    notify_users([user], kind, key, REPORT_VALUES, link="/reports")
    db.session.commit()


def test_bell_counts_and_opening_marks_read(admin, sign_in):
    _notify(admin)
    client = sign_in(admin)
    notification = db.session.scalars(select(Notification)).one()

    before = client.get("/notifications").get_data(as_text=True)
    opened = client.get(f"/notifications/{notification.id}")
    after = client.get("/notifications").get_data(as_text=True)

    db.session.expire_all()
    assert '<span class="count">1</span>' in before
    assert "【年度报送】2025年度报送已接收" in before
    assert opened.headers["Location"] == "/reports"
    assert notification.read_at is not None
    assert '<span class="count">' not in after


def test_other_users_notification_is_not_found(admin, make_user, sign_in):
    _notify(admin)
    notification = db.session.scalars(select(Notification)).one()
    other = sign_in(make_user("420525", Role.REVIEWER))

    response = other.get(f"/notifications/{notification.id}")

    assert response.status_code == 404


def test_opting_out_stops_optional_email_only(admin, sign_in):
    client = sign_in(admin)
    page = client.get("/notifications/preferences").get_data(as_text=True)

    client.post(
        "/notifications/preferences",
        data={"wanted": ["window_opened"], "csrf_token": csrf_token_from(page)},
    )
    _notify(admin, "report_accepted", "optional")
    _notify(admin, "report_returned", "mandatory")

    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    opted_out = db.session.scalars(select(EmailOptOut.kind)).all()
    assert "report_accepted" in opted_out
    assert "window_opened" not in opted_out
    assert kinds == ["report_returned"]
    assert db.session.scalar(select(func.count(Notification.id))) == 2


def test_admin_confirms_uncertain_delivery(admin, sign_in):
    _notify(admin)
    message = db.session.scalars(select(OutboxMessage)).one()
    message.status = OutboxStatus.UNCERTAIN
    message.last_error = "connection lost after the message was sent"
    db.session.commit()
    client = sign_in(admin)

    page = client.get("/notifications/delivery").get_data(as_text=True)
    client.post(
        f"/notifications/delivery/{message.id}",
        data={"decision": "delivered", "csrf_token": csrf_token_from(page)},
    )

    db.session.expire_all()
    assert "connection lost after the message was sent" in page
    assert message.status is OutboxStatus.SENT
    assert message.resolved_by_id == admin.id


def test_sibling_admin_cannot_resolve(admin, make_user, sign_in):
    _notify(admin)
    message = db.session.scalars(select(OutboxMessage)).one()
    message.status = OutboxStatus.UNCERTAIN
    db.session.commit()
    sibling = sign_in(make_user("420526", Role.REGISTRY_ADMIN))
    page = sibling.get("/notifications/delivery").get_data(as_text=True)

    response = sibling.post(
        f"/notifications/delivery/{message.id}",
        data={"decision": "resend", "csrf_token": csrf_token_from(page)},
    )

    db.session.expire_all()
    assert response.status_code == 404
    assert message.status is OutboxStatus.UNCERTAIN


def test_delivery_page_needs_registry_admin(make_user, sign_in):
    reviewer = sign_in(make_user("420525", Role.REVIEWER))

    response = reviewer.get("/notifications/delivery")

    assert response.status_code == 403
