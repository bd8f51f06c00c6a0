"""The scheduler process: APScheduler running the sweeps, the daily
term-ending check and the sender.

It runs apart from the web workers (``flask scheduler run``), keeps its
jobs in the database, and works in Beijing time. Only the holder of the
``scheduler`` lease runs jobs. A second process started by mistake waits
on standby and takes over when the first stops renewing the lease. The
jobs take plain values, open their own app context, and are safe to run
twice.
"""

import logging
import signal
import threading
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import current_app, has_app_context

from notifications import lease
from notifications.sender import send_due
from notifications.sweeps import run_daily_sweeps
from workflow.clock import TIMEZONE
from workflow.extensions import SQLITE_BUSY_TIMEOUT_SECONDS
from workflow.term_endings import mark_terms_ending

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
JOB_TABLE = "apscheduler_jobs"
# A daily job that could not start on time still runs within six hours;
# after that the next day's run catches up on its own.
MISFIRE_GRACE_SECONDS = 6 * 3600

_app = None


def run_scheduler(app, holder):
    """Wait for the lease, then run the jobs until SIGTERM, Ctrl+C or lease loss.

    The jobs run in background threads while this thread only waits, so a
    signal never interrupts a database call half-way.
    """
    global _app
    _app = app
    stop = threading.Event()
    # Stop cleanly on SIGTERM (systemd, docker stop) so the lease is
    # released and a standby takes over at once instead of after expiry.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    seconds = app.config["SCHEDULER_LEASE_SECONDS"]
    with app.app_context():
        while not lease.acquire(LEASE_NAME, holder, seconds):
            logger.info("scheduler %s on standby: another scheduler runs", holder)
            if stop.wait(seconds / 3):
                return

    scheduler = build_scheduler(app, holder, stop)
    scheduler.start()
    logger.info("scheduler %s started", holder)
    try:
        # A timeout keeps Ctrl+C deliverable while waiting.
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown()
        with app.app_context():
            lease.release(LEASE_NAME, holder)
        logger.info("scheduler %s stopped", holder)


def build_scheduler(app, holder, stop):
    """Return a scheduler with the jobs of this product added.

    ``stop`` is set by the lease renewal job when another process has
    taken the lease.
    """
    config = app.config
    scheduler = BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(
                url=config["SQLALCHEMY_DATABASE_URI"],
                tablename=JOB_TABLE,
                engine_options=_job_store_engine_options(config),
            ),
            "process": MemoryJobStore(),
        },
        # Enough threads for the jobs that run together after a start (the
        # two catch-up jobs, the outbox and the lease renewal), so a long
        # daily job does not hold up the lease renewal.
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
        timezone=TIMEZONE,
    )
    scheduler.add_job(
        run_sweeps_job,
        _daily_at(config, "SCHEDULER_SWEEP_AT"),
        args=[holder],
        id="daily-sweeps",
        replace_existing=True,
    )
    scheduler.add_job(
        run_term_endings_job,
        _daily_at(config, "SCHEDULER_TERM_ENDINGS_AT"),
        args=[holder],
        id="daily-term-endings",
        replace_existing=True,
    )
    scheduler.add_job(
        send_outbox_job,
        IntervalTrigger(seconds=config["SCHEDULER_SEND_EVERY_SECONDS"]),
        args=[holder],
        id="outbox-send",
        replace_existing=True,
    )
    # Catch up at start: the sweeps write only what is due and not yet
    # written, and the term-ending check moves only counselors not yet
    # moved, so running them now costs nothing if they already ran. Their
    # order does not matter: the term notices cover both serving states.
    now = datetime.now(TIMEZONE)
    scheduler.add_job(
        run_term_endings_job,
        args=[holder],
        id="startup-term-endings",
        jobstore="process",
        next_run_time=now,
    )
    scheduler.add_job(
        run_sweeps_job,
        args=[holder],
        id="startup-sweeps",
        jobstore="process",
        next_run_time=now,
    )
    scheduler.add_job(
        renew_lease_job,
        IntervalTrigger(seconds=max(1, config["SCHEDULER_LEASE_SECONDS"] // 3)),
        args=[holder, stop],
        id="lease-renew",
        jobstore="process",
    )
    return scheduler


def _job_store_engine_options(config):
    # APScheduler stops when it cannot save a job, so on SQLite its own
    # connections wait for the app's writes like the app's connections do.
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    return {"pool_pre_ping": True}


def _daily_at(config, setting):
    """Return a trigger firing each day at the Beijing time named by ``setting``."""
    raw = config[setting]
    try:
        hour, minute = (int(part) for part in raw.split(":"))
        datetime(2026, 1, 1, hour, minute)
    except ValueError:
        raise ValueError(
            f"{setting} must be a time such as 08:30, got {raw!r}."
        ) from None
    return CronTrigger(hour=hour, minute=minute, timezone=TIMEZONE)


def _app_context():
    # A job runs in a pool thread with no app context, so it opens one of
    # the scheduler's app (or of the caller's, when run by hand or in tests).
    global _app
    if has_app_context():
        return current_app._get_current_object().app_context()
    if _app is None:
        from web import create_app

        _app = create_app()
    return _app.app_context()


def run_sweeps_job(holder):
    """Run today's sweeps if ``holder`` still holds the scheduler lease."""
    _run_job("sweeps", holder, run_daily_sweeps)


def run_term_endings_job(holder):
    """Mark terms ending if ``holder`` still holds the scheduler lease."""
    _run_job("term-endings", holder, lambda: {"moved": mark_terms_ending()})


def send_outbox_job(holder):
    """Send due emails if ``holder`` still holds the scheduler lease."""
    _run_job("outbox", holder, lambda: send_due(holder))


def _run_job(name, holder, work):
    with _app_context():
        try:
            if not lease.holds(LEASE_NAME, holder):
                logger.warning("job %s skipped: %s lost the lease", name, holder)
                return
            result = work()
            logger.info("job %s done: %s", name, dict(result))
        except Exception:
            logger.exception("job %s failed", name)


def renew_lease_job(holder, stop):
    """Renew the lease; set ``stop`` if another process took it."""
    with _app_context():
        try:
            renewed = lease.acquire(
                LEASE_NAME, holder, current_app.config["SCHEDULER_LEASE_SECONDS"]
            )
        except Exception:
            logger.exception("lease renewal of %s failed", holder)
            renewed = False
    if not renewed:
        logger.error("scheduler %s lost its lease; stopping", holder)
        stop.set()
