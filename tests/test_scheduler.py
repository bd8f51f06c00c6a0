"""The scheduler process: its lease, its jobs and their settings."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select

from notifications import lease
from notifications.scheduler import (
    LEASE_NAME,
    MISFIRE_GRACE_SECONDS,
    build_scheduler,
    renew_lease_job,
    run_sweeps_job,
    run_term_endings_job,
)
from tests.conftest import SPARE_SMTP_PORT
from workflow.clock import TIMEZONE
from workflow.extensions import db
from workflow.models import AnnualReport, AuditEvent, Counselor, SchedulerLease
from workflow.states.counselor import CounselorState

START = datetime(2026, 3, 2, 8, 30)


def test_second_scheduler_waits_for_lease(app_context, frozen_clock):
    frozen_clock(START)

    first = lease.acquire(LEASE_NAME, "first", 90)
    second = lease.acquire(LEASE_NAME, "second", 90)
    renewed = lease.acquire(LEASE_NAME, "first", 90)

    assert first is True
    assert second is False
    assert renewed is True


def test_standby_takes_over_expired_lease(app_context, frozen_clock):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "first", 90)
    frozen_clock(START + timedelta(seconds=91))

    taken = lease.acquire(LEASE_NAME, "second", 90)

    assert taken is True
    assert lease.holds(LEASE_NAME, "second") is True
    assert lease.holds(LEASE_NAME, "first") is False


def test_released_lease_is_free(app_context, frozen_clock):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "first", 90)

    lease.release(LEASE_NAME, "first")

    assert lease.acquire(LEASE_NAME, "second", 90) is True


def test_scheduler_jobs_and_settings(app_context):
    scheduler = build_scheduler(app_context, "host-1", threading.Event())

    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert set(jobs) == {
        "daily-sweeps",
        "daily-term-endings",
        "outbox-send",
        "startup-sweeps",
        "startup-term-endings",
        "lease-renew",
    }
    assert str(scheduler.timezone) == str(TIMEZONE)
    assert scheduler._job_defaults["coalesce"] is True
    assert scheduler._job_defaults["misfire_grace_time"] == MISFIRE_GRACE_SECONDS
    assert jobs["daily-sweeps"].args == ("host-1",)
    assert str(jobs["daily-sweeps"].trigger) == "cron[hour='8', minute='30']"
    assert jobs["daily-term-endings"].func is run_term_endings_job
    assert jobs["daily-term-endings"].args == ("host-1",)
    assert str(jobs["daily-term-endings"].trigger) == "cron[hour='8', minute='0']"
    assert jobs["startup-term-endings"].func is run_term_endings_job
    assert isinstance(scheduler._jobstores["default"], SQLAlchemyJobStore)


def test_job_without_lease_does_nothing(app_context, frozen_clock):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "other", 90)

    run_sweeps_job("me")

    assert db.session.scalar(select(func.count(AnnualReport.id))) == 0


def test_job_with_lease_runs_sweeps(app_context, frozen_clock):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "me", 90)

    run_sweeps_job("me")
    run_sweeps_job("me")

    reports = db.session.scalar(select(func.count(AnnualReport.id)))
    assert reports > 100


def test_failing_job_logs_traceback(app_context, frozen_clock, caplog, monkeypatch):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "me", 90)
    monkeypatch.setitem(app_context.config, "REPORTING_WINDOW_CLOSES", "13-45")

    with caplog.at_level(logging.ERROR, logger="notifications.scheduler"):
        run_sweeps_job("me")

    assert "job sweeps failed" in caplog.text
    assert "Traceback" in caplog.text
    assert "13-45" in caplog.text


def test_scheduler_process_releases_lease_on_sigterm(app, app_context):
    environment = {
        **os.environ,
        "FUDAO_ENV": "testing",
        "FUDAO_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FUDAO_SMTP_PORT": str(SPARE_SMTP_PORT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    holder = _wait_for_lease_holder()
    process.send_signal(signal.SIGTERM)
    exit_code = process.wait(timeout=60)

    assert holder is not None
    assert exit_code == 0
    assert lease.holds(LEASE_NAME, holder) is False
    assert lease.acquire(LEASE_NAME, "standby", 90) is True


def _wait_for_lease_holder():
    # Polls until the new process has taken the lease, for at most a minute.
    for _ in range(600):
        row = db.session.get(SchedulerLease, LEASE_NAME, populate_existing=True)
        db.session.commit()
        if row is not None:
            return row.holder
        time.sleep(0.1)
    return None


def test_lost_lease_stops_scheduler(app_context, frozen_clock):
    frozen_clock(START)
    lease.acquire(LEASE_NAME, "other", 90)
    stop = threading.Event()

    renew_lease_job("me", stop)

    assert stop.is_set()


def test_term_endings_time_is_a_setting(app_context, monkeypatch):
    monkeypatch.setitem(app_context.config, "SCHEDULER_TERM_ENDINGS_AT", "07:15")
    scheduler = build_scheduler(app_context, "host-1", threading.Event())

    trigger = scheduler.get_job("daily-term-endings").trigger
    next_run = trigger.get_next_fire_time(
        None, datetime(2026, 3, 2, 9, 0, tzinfo=TIMEZONE)
    )

    assert next_run == datetime(2026, 3, 3, 7, 15, tzinfo=TIMEZONE)


def test_bad_term_endings_time_rejected(app_context, monkeypatch):
    monkeypatch.setitem(app_context.config, "SCHEDULER_TERM_ENDINGS_AT", "25:00")

    with pytest.raises(ValueError, match="SCHEDULER_TERM_ENDINGS_AT must be a time"):
        build_scheduler(app_context, "host-1", threading.Event())


@pytest.fixture
def terms(make_counselor, frozen_clock):
    """Return a counselor whose term ends within 90 days and one whose does not."""
    frozen_clock(START)
    ending = make_counselor(
        "420525", CounselorState.APPOINTED, term_ends_on=date(2026, 5, 1)
    )
    serving = make_counselor(
        "420525", CounselorState.APPOINTED, term_ends_on=date(2027, 5, 1)
    )
    return ending.id, serving.id


def _state(counselor_id):
    return db.session.get(Counselor, counselor_id, populate_existing=True).state


def _audit_count():
    return db.session.scalar(select(func.count(AuditEvent.id)))


def test_scheduled_term_endings_job_moves_counselors(app_context, terms):
    ending, serving = terms
    lease.acquire(LEASE_NAME, "me", 90)
    scheduler = build_scheduler(app_context, "me", threading.Event())
    job = scheduler.get_job("daily-term-endings")

    job.func(*job.args)

    assert _state(ending) is CounselorState.TERM_ENDING
    assert _state(serving) is CounselorState.APPOINTED
    assert _audit_count() == 1


def test_repeated_term_endings_job_changes_nothing(app_context, terms):
    ending, _serving = terms
    lease.acquire(LEASE_NAME, "me", 90)
    run_term_endings_job("me")
    version = db.session.get(Counselor, ending).version
    events = _audit_count()

    run_term_endings_job("me")

    assert db.session.get(Counselor, ending, populate_existing=True).version == (
        version
    )
    assert _state(ending) is CounselorState.TERM_ENDING
    assert _audit_count() == events == 1


def test_term_endings_job_without_lease_does_nothing(app_context, terms):
    ending, _serving = terms
    lease.acquire(LEASE_NAME, "other", 90)

    run_term_endings_job("me")

    assert _state(ending) is CounselorState.APPOINTED
    assert _audit_count() == 0
