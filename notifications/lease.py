"""Database leases: at most one holder of a name at a time, until expiry."""

import logging
from datetime import timedelta

from sqlalchemy import update

from workflow import clock
from workflow.extensions import db
from workflow.idempotent_insert import insert_missing
from workflow.models.scheduler_lease import SchedulerLease

logger = logging.getLogger(__name__)


def acquire(name, holder, seconds):
    """Take or renew the lease ``name`` for ``holder``; return whether held.

    Succeeds when the lease is free, expired, or already ``holder``'s. Uses
    one conditional UPDATE, so two processes asking at once cannot both win.
    Commits.
    """
    now = clock.now()
    expires_at = now + timedelta(seconds=seconds)
    insert_missing(
        SchedulerLease,
        [{"name": name, "holder": holder, "acquired_at": now, "expires_at": now}],
        ["name"],
    )
    renewed = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .values(expires_at=expires_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not renewed:
        renewed = db.session.execute(
            update(SchedulerLease)
            .where(
                SchedulerLease.name == name,
                SchedulerLease.expires_at <= now,
            )
            .values(holder=holder, acquired_at=now, expires_at=expires_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if renewed:
            logger.info("lease %s taken by %s", name, holder)
    db.session.commit()
    return bool(renewed)


def holds(name, holder):
    """Return whether ``holder`` holds the unexpired lease ``name``."""
    lease = db.session.get(SchedulerLease, name, populate_existing=True)
    held = (
        lease is not None and lease.holder == holder and lease.expires_at > clock.now()
    )
    db.session.commit()
    return held


def release(name, holder):
    """Give up the lease ``name`` if ``holder`` has it, so a standby can start."""
    db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
        .values(expires_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
