"""A sender that dies mid-way never causes a second delivery."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from notifications.outbox import notify_users
from notifications.sender import claim_next, send_due
from tests.conftest import OUTBOX_SMTP_PORT
from tests.mail_servers import HangingHandler
from workflow import clock
from workflow.extensions import db
from workflow.models import DeliveryAttempt, OutboxMessage, OutboxStatus, Role

# Long enough for the sender process to start and reach DATA on a slow
# machine; the test waits on an event, never on a fixed delay.
SENDER_START_LIMIT = 60


def _queue_one(make_user):
    user = make_user("420525", Role.REGISTRY_ADMIN)
    user.email = "admin@yuanan.example.cn"
    db.session.commit()
    notify_users(
        [user],
        "report_accepted",
        "report_accepted:1:v3",
        {"department_name": "远安县农业农村局", "year": 2025},
        link="/reports/1",
    )
    db.session.commit()


def _start_sender(app):
    environment = {
        **os.environ,
        "FUDAO_ENV": "testing",
        "FUDAO_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FUDAO_SMTP_HOST": "127.0.0.1",
        "FUDAO_SMTP_PORT": str(OUTBOX_SMTP_PORT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "send"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sender_killed_after_data_leaves_uncertain(
    app, app_context, make_user, outbox_smtp
):
    server = outbox_smtp(HangingHandler())
    _queue_one(make_user)
    sender = _start_sender(app)

    reached = server.arrived.wait(SENDER_START_LIMIT)
    os.kill(sender.pid, signal.SIGKILL)
    sender.wait()
    server.release.set()
    clock.freeze(clock.now() + timedelta(minutes=10))
    summary = send_due("survivor")

    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    attempts = db.session.scalars(select(DeliveryAttempt)).all()
    assert reached is True
    assert summary["recovered"] == 1
    assert message.status is OutboxStatus.UNCERTAIN
    assert [attempt.outcome for attempt in attempts] == ["uncertain"]
    assert len(server.messages) == 1


def test_sender_stopped_before_data_is_resent_once(app_context, make_user, outbox_smtp):
    server = outbox_smtp()
    _queue_one(make_user)
    claim_next("stopped-sender")
    clock.freeze(clock.now() + timedelta(minutes=10))

    first = send_due("survivor")
    second = send_due("survivor")

    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert first["recovered"] == 1
    assert first["sent"] == 1
    assert second["sent"] == 0
    assert message.status is OutboxStatus.SENT
    assert len(server.messages) == 1
