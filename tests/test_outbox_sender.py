"""The outbox sender against real SMTP servers on loopback."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from notifications.outbox import notify_users
from notifications.sender import claim_next, send_due
from notifications.sender_loop import run_sender
from tests.conftest import OUTBOX_SMTP_PORT, SPARE_SMTP_PORT
from tests.mail_servers import (
    DroppingHandler,
    RecordingHandler,
    RefusingHandler,
    SlowHandler,
)
from workflow import clock
from workflow.extensions import db
from workflow.models import DeliveryAttempt, OutboxMessage, OutboxStatus, Role

START = datetime(2026, 6, 23, 9, 0)


@pytest.fixture
def recipient(make_user, frozen_clock):
    """Create a county registry administrator with a mail address."""
    frozen_clock(START)

    def make(address="admin@yuanan.example.cn", name=None):
        user = make_user("420525", Role.REGISTRY_ADMIN)
        user.email = address
        if name:
            user.display_name = name
        db.session.commit()
        return user

    return make


def _queue(users, key="report_due_7d:1:2026-06-30", kind="report_due", **context):
    values = {
        "department_name": "远安县农业农村局",
        "year": 2025,
        "opens_on": "2026-01-01",
        "deadline": "2026-06-30",
        "days_left": 7,
        **context,
    }
    notify_users(users, kind, key, values, link="/reports/1")
    db.session.commit()


def _only_message():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage)).one()


def _attempts(message):
    return db.session.scalars(
        select(DeliveryAttempt)
        .where(DeliveryAttempt.message_id == message.id)
        .order_by(DeliveryAttempt.number)
    ).all()


def test_sender_delivers_chinese_email_once(outbox_smtp, recipient):
    server = outbox_smtp()
    _queue([recipient(name="王建华")])

    first = send_due("test")
    second = send_due("test")

    assert first["sent"] == 1
    assert second["sent"] == 0
    assert len(server.messages) == 1
    received = server.messages[0]
    assert received["Subject"] == "【年度报送】距截止还有7天，请尽快提交"
    assert received["To"].addresses[0].display_name == "王建华"
    assert received["From"].addresses[0].display_name == "新型农业经营主体辅导员名录库"
    assert _only_message().status is OutboxStatus.SENT


def test_email_encodes_headers_and_has_both_parts(outbox_smtp, recipient):
    server = outbox_smtp()
    _queue([recipient(name="王建华")])

    send_due("test")

    received = server.messages[0]
    raw = received.as_bytes()
    assert b"=?utf-8?" in raw
    assert "王建华".encode() not in raw
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "截止日期为 2026-06-30" in text
    assert "http://127.0.0.1:5000/reports/1" in text
    assert 'href="http://127.0.0.1:5000/reports/1"' in html
    assert received.get_body(("plain",))["Content-Transfer-Encoding"] == "base64"


def test_dropped_connection_is_uncertain_and_not_resent(
    outbox_smtp, recipient, frozen_clock
):
    server = outbox_smtp(DroppingHandler())
    _queue([recipient()])

    outcome = send_due("test")
    frozen_clock(START + timedelta(days=2))
    later = send_due("test")

    message = _only_message()
    assert outcome["uncertain"] == 1
    assert later["sent"] + later["retry"] + later["uncertain"] == 0
    assert message.status is OutboxStatus.UNCERTAIN
    assert len(server.messages) == 1
    assert [a.outcome for a in _attempts(message)] == ["uncertain"]
    assert "after the message was sent" in message.last_error
    assert message.error_reason == "lost_after_data"


def test_unreachable_server_is_retried_with_backoff(
    app_context, recipient, monkeypatch
):
    monkeypatch.setitem(app_context.config, "SMTP_PORT", SPARE_SMTP_PORT)
    _queue([recipient()])

    send_due("test")
    message = _only_message()

    assert message.status is OutboxStatus.PENDING
    assert message.attempt_count == 1
    assert message.next_attempt_at == START + timedelta(seconds=60)
    assert "cannot connect" in message.last_error


def test_backoff_doubles_until_failed(
    app_context, recipient, frozen_clock, monkeypatch
):
    monkeypatch.setitem(app_context.config, "SMTP_PORT", SPARE_SMTP_PORT)
    _queue([recipient()])
    waits = []

    now = START
    for _ in range(6):
        frozen_clock(now)
        send_due("test")
        message = _only_message()
        if message.status is OutboxStatus.PENDING:
            waits.append((message.next_attempt_at - now).total_seconds())
            now = message.next_attempt_at

    assert waits == [60, 120, 240, 480, 960]
    assert message.status is OutboxStatus.FAILED
    assert len(_attempts(message)) == 6


@pytest.mark.parametrize(
    ("handler", "detail"),
    [
        (RefusingHandler(), "MAIL FROM refused: 451"),
        (SlowHandler(delay=3), "connection lost"),
    ],
    ids=["temporary-refusal", "slow-server"],
)
def test_temporary_problems_are_retried(outbox_smtp, recipient, handler, detail):
    outbox_smtp(handler, timeout=1)
    _queue([recipient()])

    summary = send_due("test")

    message = _only_message()
    assert summary["retry"] == 1
    assert message.status is OutboxStatus.PENDING
    assert detail in message.last_error


def test_permanent_refusal_fails_one_and_sends_others(outbox_smtp, recipient):
    server = outbox_smtp(RecordingHandler(refused={"gone@yuanan.example.cn"}))
    gone = recipient("gone@yuanan.example.cn")
    present = recipient("here@yuanan.example.cn")
    _queue([gone, present])

    summary = send_due("test")

    statuses = dict(
        db.session.execute(
            select(OutboxMessage.recipient_address, OutboxMessage.status)
        ).all()
    )
    assert summary["failed"] == 1
    assert summary["sent"] == 1
    assert statuses["gone@yuanan.example.cn"] is OutboxStatus.FAILED
    assert statuses["here@yuanan.example.cn"] is OutboxStatus.SENT
    assert len(server.messages) == 1


@pytest.mark.parametrize(
    ("address", "smtputf8", "status", "reason"),
    [
        ("王建华@远安.example.cn", True, OutboxStatus.SENT, None),
        (
            "王建华@yuanan.example.cn",
            False,
            OutboxStatus.FAILED,
            "smtputf8_unsupported",
        ),
        ("admin@", True, OutboxStatus.FAILED, "invalid_address"),
        ("admin", True, OutboxStatus.FAILED, "invalid_address"),
    ],
    ids=["chinese-smtputf8", "chinese-no-smtputf8", "no-domain", "no-at-sign"],
)
def test_unusual_addresses(outbox_smtp, recipient, address, smtputf8, status, reason):
    outbox_smtp(smtputf8=smtputf8)
    _queue([recipient(address)])

    send_due("test")

    message = _only_message()
    assert message.status is status
    assert message.error_reason == reason


def test_chinese_domain_is_sent_as_idna(outbox_smtp, recipient):
    server = outbox_smtp()
    _queue([recipient("admin@远安.example.cn")])

    send_due("test")

    recipients, _ = server.received[0]
    assert recipients == ["admin@xn--49sp13j.example.cn"]


def test_missing_template_value_fails_and_is_logged(outbox_smtp, recipient, caplog):
    server = outbox_smtp()
    users = [recipient()]
    _queue(users, key="broken", kind="term_ending")
    _queue(users, key="fine")

    with caplog.at_level(logging.ERROR, logger="notifications"):
        summary = send_due("test")

    broken = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "term_ending")
    ).one()
    assert summary["failed"] == 1
    assert summary["sent"] == 1
    assert broken.status is OutboxStatus.FAILED
    assert "counselor_name" in broken.last_error
    assert f"outbox {broken.id}" in caplog.text
    assert len(server.messages) == 1


def test_rolled_back_change_leaves_no_message(recipient):
    users = [recipient()]

    notify_users(users, "report_due", "rolled-back", {}, link=None)
    db.session.rollback()

    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_same_key_is_written_once(recipient):
    users = [recipient()]

    _queue(users)
    _queue(users)

    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_two_senders_send_each_key_once(app, outbox_smtp, recipient):
    server = outbox_smtp()
    users = [recipient(f"admin{n}@yuanan.example.cn") for n in range(12)]
    _queue(users)
    start = threading.Barrier(2)
    summaries = []

    def run_sender(name):
        with app.app_context():
            clock.freeze(START)
            start.wait()
            summaries.append(send_due(name))
            db.session.remove()

    threads = [threading.Thread(target=run_sender, args=(f"s{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    keys = server.keys()
    assert len(keys) == 12
    assert len(set(keys)) == 12
    assert sum(summary["sent"] for summary in summaries) == 12


def test_claimed_message_is_not_claimed_again(recipient):
    _queue([recipient()])

    first = claim_next("first")
    second = claim_next("second")

    assert first is not None
    assert second is None


# The dedicated sender loop, ``flask outbox run``.

ROOT = Path(__file__).resolve().parent.parent


def _wait_until_sent(timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
        db.session.rollback()
        if statuses and all(status is OutboxStatus.SENT for status in statuses):
            return statuses
        time.sleep(0.2)
    raise AssertionError(f"messages not sent within {timeout} s: {statuses}")


def test_loop_sends_then_stops(app, outbox_smtp, recipient):
    server = outbox_smtp()
    stop = threading.Event()
    loop = threading.Thread(target=run_sender, args=(app, "loop", 0.1, stop))
    loop.start()

    _queue([recipient()])
    _wait_until_sent()
    stop.set()
    loop.join(timeout=10)

    assert not loop.is_alive()
    assert len(server.messages) == 1


def test_two_loops_never_send_twice(app, outbox_smtp, recipient):
    server = outbox_smtp()
    users = [
        recipient(address=f"admin{number}@yuanan.example.cn") for number in range(6)
    ]
    stop = threading.Event()
    loops = [
        threading.Thread(target=run_sender, args=(app, f"loop{n}", 0.1, stop))
        for n in range(2)
    ]

    _queue(users)
    for loop in loops:
        loop.start()
    _wait_until_sent()
    stop.set()
    for loop in loops:
        loop.join(timeout=10)

    recipients = sorted(str(message["To"]) for message in server.messages)
    assert len(recipients) == 6
    assert len(set(recipients)) == 6


def test_command_stops_cleanly_on_sigterm(app, outbox_smtp, recipient):
    server = outbox_smtp()
    _queue([recipient()])
    environment = dict(
        os.environ,
        FUDAO_ENV="testing",
        FUDAO_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        FUDAO_SMTP_HOST="127.0.0.1",
        FUDAO_SMTP_PORT=str(OUTBOX_SMTP_PORT),
    )
    sender = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "outbox",
            "run",
            "--poll-seconds",
            "0.2",
        ],  # fmt: skip
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_sent()
    finally:
        sender.send_signal(signal.SIGTERM)
        _, errors = sender.communicate(timeout=30)

    assert sender.returncode == 0, errors
    assert "stopped" in errors
    assert len(server.messages) == 1
