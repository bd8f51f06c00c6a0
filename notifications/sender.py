"""The outbox sender: deliver pending emails once each, with retries.

Each message is claimed with a conditional UPDATE (and ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL), so two senders never hold the same row. The claim
is a lease: a sender that dies leaves a row that another sender recovers
once the lease expires. Every attempt is committed before its SMTP
conversation starts and marked just before the DATA command. After a
crash, a row whose attempt never reached DATA is retried. A row whose
attempt did is set aside as uncertain for a person, because the server may
have accepted it.
"""

import logging
import os
import socket
import uuid
from collections import Counter
from datetime import timedelta

from flask import current_app
from jinja2 import TemplateError
from sqlalchemy import select, update

from notifications.email_message import InvalidRecipient, build_email, check_recipient
from notifications.rendering import render
from notifications.smtp_delivery import Outcome, Result, Server, deliver
from workflow import clock
from workflow.extensions import db
from workflow.models.outbox import DeliveryAttempt, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


class ClaimLost(Exception):
    """Another sender took over the message while this one was sending it."""


def worker_name():
    """Return a name for this process: host name and process id."""
    return f"{socket.gethostname()}-{os.getpid()}"


def send_due(worker=None, limit=None, stop=None):
    """Recover abandoned claims, then deliver due messages one by one.

    Returns a ``Counter`` of outcomes, with ``recovered`` for rows taken
    back from a sender that stopped. When the ``stop`` event is set, no
    further message is claimed.
    """
    config = current_app.config
    token = f"{worker or worker_name()}-{uuid.uuid4().hex[:8]}"
    limit = limit or config["OUTBOX_BATCH_SIZE"]
    summary = Counter(recovered=recover_abandoned())
    for _ in range(limit):
        if stop is not None and stop.is_set():
            break
        message_id = claim_next(token)
        if message_id is None:
            break
        summary[deliver_claimed(message_id, token).value] += 1
    return summary


def claim_next(token):
    """Claim the next due message for ``token``; return its id or None."""
    now = clock.now()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(_is_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(5)
        .with_for_update(skip_locked=True)
    ).all()
    for message_id in candidates:
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _is_due(now))
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=token,
                claim_expires_at=now + lease,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            db.session.commit()
            return message_id
    db.session.commit()
    return None


def _is_due(now):
    return (OutboxMessage.status == OutboxStatus.PENDING) & (
        OutboxMessage.next_attempt_at <= now
    )


def deliver_claimed(message_id, token):
    """Make one attempt at a message claimed by ``token``; return its outcome."""
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    attempt = DeliveryAttempt(
        message_id=message.id,
        number=message.attempt_count + 1,
        worker=token,
        started_at=clock.now(),
    )
    message.attempt_count += 1
    db.session.add(attempt)
    db.session.commit()

    try:
        result = _attempt(message, attempt.id, token)
    except ClaimLost:
        logger.warning(
            "outbox %s: claim lost before DATA; the new holder sends it", message_id
        )
        db.session.rollback()
        return Outcome.RETRY
    except Exception as error:  # noqa: BLE001 - one bad message must not stop the rest
        logger.exception("outbox %s: unexpected error while sending", message_id)
        db.session.rollback()
        result = Result(
            Outcome.RETRY, f"unexpected error: {error!r}", reason="unexpected"
        )
    return _record(message_id, attempt.id, token, result)


def _attempt(message, attempt_id, token):
    config = current_app.config
    try:
        rendered = render(message.kind, message.context, message.link)
        recipient = check_recipient(message.recipient_address)
    except InvalidRecipient as error:
        return Result(Outcome.FAILED, str(error), reason="invalid_address")
    except TemplateError as error:
        logger.error(
            "outbox %s: template %s failed: %r", message.id, message.kind, error
        )
        return Result(
            Outcome.FAILED,
            f"template {message.kind} failed: {error!r}",
            reason="template_error",
        )
    payload = build_email(message, rendered, recipient, config).as_bytes()
    return deliver(
        Server.from_config(config),
        config["MAIL_FROM_ADDRESS"],
        recipient.address,
        payload,
        smtputf8=recipient.needs_smtputf8,
        before_data=lambda: _mark_data_phase(message.id, attempt_id, token),
    )


def _mark_data_phase(message_id, attempt_id, token):
    # Renew the claim and note the phase in one commit: if another sender
    # has recovered the row meanwhile, stop before the server can accept.
    now = clock.now()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    renewed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == token,
            OutboxMessage.status == OutboxStatus.SENDING,
        )
        .values(claim_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not renewed:
        db.session.rollback()
        raise ClaimLost(message_id)
    db.session.execute(
        update(DeliveryAttempt)
        .where(DeliveryAttempt.id == attempt_id)
        .values(reached_data=True)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record(message_id, attempt_id, token, result):
    now = clock.now()
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    attempt = db.session.get(DeliveryAttempt, attempt_id)
    attempt.finished_at = now
    attempt.outcome = result.outcome.value
    attempt.smtp_code = result.smtp_code
    attempt.detail = result.detail[:2000]
    if message.claimed_by != token or message.status is not OutboxStatus.SENDING:
        logger.error(
            "outbox %s: claim of %s expired during the attempt; result %s kept "
            "on attempt %s only",
            message_id,
            token,
            result.outcome.value,
            attempt_id,
        )
        db.session.commit()
        return result.outcome
    _apply_result(message, result, now)
    db.session.commit()
    _log_result(message, result)
    return result.outcome


def _apply_result(message, result, now):
    config = current_app.config
    message.claimed_by = None
    message.claim_expires_at = None
    outcome = result.outcome
    if (
        outcome is Outcome.RETRY
        and message.attempt_count >= config["OUTBOX_MAX_ATTEMPTS"]
    ):
        outcome = Outcome.FAILED
    message.error_reason = result.reason
    if outcome is Outcome.SENT:
        message.status = OutboxStatus.SENT
        message.sent_at = now
        message.last_error = None
    elif outcome is Outcome.RETRY:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + retry_delay(message.attempt_count)
        message.last_error = result.detail
    else:
        message.status = OutboxStatus(outcome.value)
        message.last_error = result.detail


def retry_delay(attempts_made):
    """Return the wait before the next attempt: doubling, at most six hours."""
    base = timedelta(seconds=current_app.config["OUTBOX_BACKOFF_SECONDS"])
    return min(base * 2 ** (attempts_made - 1), MAX_BACKOFF)


def _log_result(message, result):
    if message.status is OutboxStatus.SENT:
        logger.info("outbox %s: sent (%s)", message.id, message.kind)
    elif message.status is OutboxStatus.PENDING:
        logger.warning(
            "outbox %s: attempt %s failed, retry at %s: %s",
            message.id,
            message.attempt_count,
            message.next_attempt_at,
            result.detail,
        )
    else:
        logger.error(
            "outbox %s: %s after attempt %s: %s",
            message.id,
            message.status.value,
            message.attempt_count,
            result.detail,
        )


def recover_abandoned():
    """Take back rows whose sender stopped; return how many were recovered.

    A row whose last attempt reached DATA becomes uncertain; any other goes
    back to pending and is sent again.
    """
    now = clock.now()
    expired = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.claimed_by).where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claim_expires_at < now,
        )
    ).all()
    db.session.commit()
    return sum(_recover(message_id, token, now) for message_id, token in expired)


def _recover(message_id, token, now):
    attempt = db.session.scalars(
        select(DeliveryAttempt)
        .where(
            DeliveryAttempt.message_id == message_id,
            DeliveryAttempt.finished_at.is_(None),
        )
        .order_by(DeliveryAttempt.number.desc())
        .limit(1)
    ).first()
    uncertain = attempt is not None and attempt.reached_data
    if uncertain:
        values = {
            "status": OutboxStatus.UNCERTAIN,
            "error_reason": "sender_stopped",
            "last_error": (
                f"sender {token} stopped after handing the message to the "
                "server; it may have been delivered"
            ),
        }
    else:
        values = {"status": OutboxStatus.PENDING, "next_attempt_at": now}
    recovered = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == token,
            OutboxMessage.claim_expires_at < now,
        )
        .values(claimed_by=None, claim_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not recovered:
        db.session.rollback()
        return 0
    if attempt is not None:
        attempt.finished_at = now
        attempt.outcome = "uncertain" if uncertain else "abandoned"
        attempt.detail = "sender stopped during the attempt"
    db.session.commit()
    logger.warning(
        "outbox %s: recovered from stopped sender %s as %s",
        message_id,
        token,
        values["status"].value,
    )
    return 1
