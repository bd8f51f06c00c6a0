"""INSERT that skips rows whose unique key is already taken."""

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from workflow.extensions import db
from workflow.idempotent_insert import SkippedRowError, insert_missing
from workflow.mariadb import is_mariadb
from workflow.models import SchedulerLease

NOW = datetime(2026, 3, 2, 9, 0)


def _lease(name):
    return {"name": name, "holder": "h", "acquired_at": NOW, "expires_at": NOW}


def test_insert_missing_counts_only_new_rows(app_context):
    first = insert_missing(SchedulerLease, [_lease("a"), _lease("b")], ["name"])
    second = insert_missing(SchedulerLease, [_lease("b"), _lease("c")], ["name"])
    third = insert_missing(SchedulerLease, [_lease("c")], ["name"])
    db.session.commit()

    assert first == 2
    assert second == 1
    assert third == 0
    assert db.session.scalar(select(func.count()).select_from(SchedulerLease)) == 3


def test_insert_missing_keys_differ_by_case_and_spaces(app_context):
    rows = [_lease("lease-x"), _lease("lease-X"), _lease("lease-x ")]

    inserted = insert_missing(SchedulerLease, rows, ["name"])
    db.session.commit()

    assert inserted == 3


def test_insert_missing_rejects_too_long_value(app_context):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite does not enforce string lengths")

    # MariaDB's INSERT IGNORE turns the error into a warning, which is raised.
    expected = SkippedRowError if is_mariadb(db.engine.dialect.name) else DataError
    with pytest.raises(expected):
        insert_missing(SchedulerLease, [_lease("x" * 41)], ["name"])
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(SchedulerLease)) == 0


def test_insert_missing_counts_many_rows(app_context):
    rows = [_lease(f"lease-{n}") for n in range(1200)]

    first = insert_missing(SchedulerLease, rows, ["name"])
    second = insert_missing(SchedulerLease, rows[600:] + [_lease("new")], ["name"])

    assert first == 1200
    assert second == 1
