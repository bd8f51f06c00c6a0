"""Server-side sessions: start at sign-in, check on each request, end.

A session without "remember me" ends ``SESSION_IDLE_MINUTES`` after its
last request. A remembered session is exempt from the idle timeout and
ends ``REMEMBER_DAYS`` after sign-in, so someone who closes the browser and
opens it next morning is still signed in on their first and every later
click. Any session ends at once when its user is disabled, has their
password reset, or signs out.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from workflow import clock
from workflow.extensions import db
from workflow.models.user_session import UserSession

logger = logging.getLogger(__name__)

# Writing last_seen_at on every request would turn each page view into a
# write; a minute's slack on a 30-minute timeout does not matter.
TOUCH_INTERVAL = timedelta(seconds=60)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(user, *, remember, address=None, user_agent=None):
    """Add a new session for ``user`` and return its token; the caller commits."""
    token = secrets.token_urlsafe(32)
    now = clock.wall_now()
    days = current_app.config["REMEMBER_DAYS"]
    remember = bool(remember and days > 0)
    db.session.add(
        UserSession(
            token_digest=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            remember=remember,
            expires_at=now + timedelta(days=days) if remember else None,
            address=address,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    return token


def find(token):
    """Return the session with ``token``, ended or not, or None."""
    if not token:
        return None
    # Every request checks the session's user next, so the user (and the
    # department joined to it) comes in the same round trip.
    return db.session.scalar(
        select(UserSession)
        .where(UserSession.token_digest == _digest(token))
        .options(joinedload(UserSession.user))
    )


def end_reason(user_session, now):
    """Return why ``user_session`` may no longer be used, or None if it may."""
    if user_session.ended_at is not None:
        return user_session.end_reason or "ended"
    if not user_session.user.is_enabled:
        return "disabled"
    if user_session.remember:
        return "expired" if now >= user_session.expires_at else None
    if now - user_session.last_seen_at >= idle_timeout():
        return "idle"
    return None


def idle_timeout():
    """Return the idle timeout as a timedelta."""
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def seconds_left(user_session, now):
    """Return the seconds until ``user_session`` times out (None if remembered)."""
    if user_session.remember:
        return None
    left = user_session.last_seen_at + idle_timeout() - now
    return max(0, int(left.total_seconds()))


def touch(user_session, now, *, force=False):
    """Record activity on ``user_session``; return whether a write is pending."""
    if force or now - user_session.last_seen_at >= TOUCH_INTERVAL:
        user_session.last_seen_at = now
        return True
    return False


def end(user_session, reason):
    """Mark ``user_session`` ended for ``reason``; the caller commits."""
    if user_session.ended_at is None:
        user_session.ended_at = clock.wall_now()
        user_session.end_reason = reason
        logger.info(
            "session %s of user %s ended: %s",
            user_session.id,
            user_session.user_id,
            reason,
        )


def end_all(user, reason, *, keep=None):
    """End every open session of ``user`` except ``keep``; the caller commits."""
    query = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=clock.wall_now(), end_reason=reason)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query)
