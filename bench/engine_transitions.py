"""Benchmark: workflow transitions per second, engine against plain SQL.

    .venv/bin/python bench/engine_transitions.py [--counselors 30000]
        [--rounds 5] [--per-round 100] [--database NAME]

On a scratch PostgreSQL registry (bench/registry_data.py, database
fudao_bench_deploy_engine unless ``--database`` names another; either is
dropped and rebuilt) the benchmark reviewer takes the ``start_review``
step on unclaimed nominations, one transaction each:

* ``engine``: ``workflow.engine.fire`` as the web views call it, with the
  reviewer already loaded as at the start of a request. It loads the
  record inside the reviewer's jurisdiction with a row lock, checks role,
  department, claim and expected version, runs the state machine, writes
  the audit event and commits;
* ``engine, user reload timed``: the same, with the reload of the
  reviewer that each commit forces counted, as in a bulk action that
  steps through many records in one request;
* ``plain SQL``: the same writes through the same driver (psycopg) with
  no ORM: an UPDATE guarded by the version (the optimistic lock) and the
  INSERT of the audit event, then COMMIT. The baseline. It neither locks
  the row nor checks jurisdiction, role or claim.

The two alternate in rounds so that load from other processes falls on
both alike. Prints the transitions per second of each and their ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import registry_data  # noqa: E402

DATABASE = "fudao_bench_deploy_engine"
BULK_LOOP = "engine, user reload timed"
PATHS = ("engine", BULK_LOOP, "plain SQL")

PLAIN_UPDATE = """
    UPDATE counselor SET state = 'UNDER_REVIEW', version = version + 1,
        state_changed_at = %(now)s
    WHERE id = %(id)s AND version = %(version)s AND state = 'NOMINATED'
"""
PLAIN_AUDIT = """
    INSERT INTO audit_event (record_type, record_id, action, from_state,
        to_state, actor_id, department_id, created_at)
    VALUES ('counselor', %(id)s, 'start_review', 'nominated', 'under_review',
        %(actor)s, %(department)s, %(now)s)
"""


def nominations(db):
    """Return (id, version) of the unclaimed nominations, oldest id first."""
    from sqlalchemy import text

    return db.session.execute(
        text(
            "SELECT id, version FROM counselor WHERE state = 'NOMINATED' "
            "AND id NOT IN (SELECT record_id FROM queue_claim) ORDER BY id"
        )
    ).all()


def through_engine(records, reviewer, *, time_reload=False):
    """Take start_review on ``records`` with the engine; return seconds.

    Each step's commit expires the reviewer, who is loaded again before
    the next step. By default that load is left out of the timing, as
    Flask-Login loads the user before each request's view runs; with
    ``time_reload`` it counts, as in a bulk action's loop over records.
    """
    from workflow import engine
    from workflow.extensions import db
    from workflow.models import Counselor

    seconds = 0.0
    for record_id, version in records:
        if time_reload:
            started = time.perf_counter()
            db.session.refresh(reviewer)
        else:
            db.session.refresh(reviewer)
            started = time.perf_counter()
        engine.fire(
            Counselor, record_id, "start_review", reviewer, expected_version=version
        )
        seconds += time.perf_counter() - started
    return seconds


def through_sql(records, reviewer, connection):
    """Make the same writes with plain SQL; return seconds."""
    from workflow import clock

    started = time.perf_counter()
    for record_id, version in records:
        values = {
            "id": record_id,
            "version": version,
            "now": clock.now(),
            "actor": reviewer.id,
            "department": reviewer.department_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_UPDATE, values)
            if cursor.rowcount != 1:
                raise RuntimeError(f"counselor {record_id} changed under the run")
            cursor.execute(PLAIN_AUDIT, values)
        connection.commit()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counselors", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=100)
    parser.add_argument(
        "--database",
        default=DATABASE,
        help="scratch database to drop and rebuild (default %(default)s)",
    )
    args = parser.parse_args()

    app = registry_data.build(args.database, args.counselors)
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import User

    with app.app_context():
        reviewer = db.session.scalar(
            select(User).where(User.username == registry_data.REVIEWER)
        )
        records = nominations(db)
        needed = len(PATHS) * args.rounds * args.per_round
        if len(records) < needed:
            raise SystemExit(f"{len(records)} nominations, {needed} needed")
        raw = db.engine.raw_connection()
        driver = raw.driver_connection
        rates = {label: [] for label in PATHS}
        loads = []
        parts = iter(
            records[start : start + args.per_round]
            for start in range(0, needed, args.per_round)
        )
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for label in PATHS:
                part = next(parts)
                if label == "plain SQL":
                    seconds = through_sql(part, reviewer, driver)
                else:
                    seconds = through_engine(
                        part, reviewer, time_reload=label == BULK_LOOP
                    )
                rates[label].append(args.per_round / seconds)
        raw.close()

    print(f"{args.counselors:,} counselors, {args.rounds} rounds of "
          f"{args.per_round} transitions each way")  # fmt: skip
    print("| path | transitions/s (median of rounds) | min | max |")
    print("|---|---:|---:|---:|")
    for label, values in rates.items():
        print(
            f"| {label} | {statistics.median(values):.1f} | {min(values):.1f} | "
            f"{max(values):.1f} |"
        )
    baseline = statistics.median(rates["plain SQL"])
    for label in PATHS[:2]:
        ratio = statistics.median(rates[label]) / baseline
        print(f"{label} / plain SQL: {ratio:.2f}")
    print(f"load average {statistics.mean(loads):.1f}")


if __name__ == "__main__":
    main()
