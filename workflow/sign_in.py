"""Checking a user name and password, with lockout per account and address.

Per account: after ``SIGN_IN_MAX_FAILURES`` failures in a row the account
is locked for ``SIGN_IN_LOCK_MINUTES``, doubled at each further failure up
to one day. A success or an administrator's unlock clears the count. Per
address: after ``SIGN_IN_ADDRESS_MAX_FAILURES`` failures within
``SIGN_IN_ADDRESS_WINDOW_MINUTES`` the address is refused before any
password is checked. Both counts live in the database, so they hold across
web workers and restarts, and every attempt is in the security log.
"""

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from workflow import clock, passwords, security_log
from workflow.extensions import db
from workflow.models.security_event import SecurityEvent
from workflow.models.user import User

logger = logging.getLogger(__name__)

MAX_LOCK = timedelta(days=1)
# Compared against when the user name is unknown, so that a wrong name
# takes as long as a wrong password and does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("unused dummy password")


class Outcome(enum.Enum):
    """The outcome of a sign-in attempt."""

    SIGNED_IN = "signed_in"
    WRONG_CREDENTIALS = "wrong_credentials"
    ACCOUNT_LOCKED = "account_locked"
    ADDRESS_BLOCKED = "address_blocked"
    DISABLED = "disabled"
    ONE_TIME_PASSWORD_EXPIRED = "one_time_password_expired"


@dataclass(frozen=True)
class Attempt:
    """The result of one attempt; ``until`` is when a lock ends."""

    outcome: Outcome
    user: User | None = None
    until: datetime | None = None


def authenticate(username, password, address):
    """Check ``username`` and ``password`` from ``address``; commit the outcome.

    Returns an ``Attempt``; on success the caller starts the session.
    """
    now = clock.wall_now()
    if _address_blocked(address, now):
        logger.warning("sign-in rejected for address %s: too many failures", address)
        return Attempt(Outcome.ADDRESS_BLOCKED)

    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )
    if user is not None and user.locked_until and now < user.locked_until:
        _log(security_log.SIGN_IN_REFUSED, user, "locked", address)
        return Attempt(Outcome.ACCOUNT_LOCKED, user, user.locked_until)

    digest = user.password_hash if user is not None else _DUMMY_HASH
    if user is None or not check_password_hash(digest, password):
        return _fail(user, username, address, now)
    if not user.is_enabled:
        _log(security_log.SIGN_IN_REFUSED, user, "disabled", address)
        return Attempt(Outcome.DISABLED, user)
    if passwords.one_time_password_expired(user, now):
        _log(security_log.SIGN_IN_REFUSED, user, "one-time password expired", address)
        return Attempt(Outcome.ONE_TIME_PASSWORD_EXPIRED, user)
    return _succeed(user, password, now)


def _address_blocked(address, now):
    config = current_app.config
    since = now - timedelta(minutes=config["SIGN_IN_ADDRESS_WINDOW_MINUTES"])
    failures = db.session.scalar(
        select(func.count()).where(
            SecurityEvent.action == security_log.SIGN_IN_FAILED,
            SecurityEvent.address == address,
            SecurityEvent.created_at >= since,
        )
    )
    return failures >= config["SIGN_IN_ADDRESS_MAX_FAILURES"]


def _fail(user, username, address, now):
    until = None
    if user is not None:
        user.failed_sign_ins += 1
        until = _lock_end(user.failed_sign_ins, now)
        user.locked_until = until
    # The attempted name helps spot guessing; it is cut to the column size
    # of user names and never includes the password.
    detail = None if user is not None else f"user name: {username.strip()[:60]}"
    _log(security_log.SIGN_IN_FAILED, user, detail, address)
    logger.info("failed sign-in from %s for user %s", address, user and user.id)
    if until is not None:
        return Attempt(Outcome.ACCOUNT_LOCKED, user, until)
    return Attempt(Outcome.WRONG_CREDENTIALS, user)


def _lock_end(failures, now):
    allowed = current_app.config["SIGN_IN_MAX_FAILURES"]
    if failures < allowed:
        return None
    minutes = current_app.config["SIGN_IN_LOCK_MINUTES"]
    doublings = min(failures - allowed, 10)
    return now + min(timedelta(minutes=minutes * 2**doublings), MAX_LOCK)


def _succeed(user, password, now):
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    if user.has_outdated_hash:
        user.set_password(password)
    return Attempt(Outcome.SIGNED_IN, user)


def _log(action, user, detail, address):
    security_log.record_event(
        action, user, subject=user, detail=detail, address=address
    )
    db.session.commit()
