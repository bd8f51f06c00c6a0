"""Yearly serials per department, reserved from a counter table.

Certificate numbers and filing numbers each keep one counter row per
department and year. A serial is reserved with a conditional UPDATE, or
on MariaDB with one INSERT ... ON DUPLICATE KEY UPDATE, so two workers
reserving at once get different serials on every supported database.
"""

from sqlalchemy import select, update
from sqlalchemy.dialects import mysql
from sqlalchemy.exc import IntegrityError

from workflow import mariadb
from workflow.extensions import db


def next_serial(counter, department_id, year):
    """Reserve and return the next serial of ``counter`` for a department and year.

    ``counter`` is a model with ``department_id``, ``year`` and
    ``last_serial`` columns. Runs inside the caller's transaction.
    """
    if mariadb.is_mariadb(db.session.get_bind().dialect.name):
        return _upsert(counter, department_id, year)
    for _attempt in range(3):
        if _increment(counter, department_id, year):
            return _read(counter, department_id, year)
        try:
            with db.session.begin_nested():
                db.session.add(
                    counter(department_id=department_id, year=year, last_serial=1)
                )
            return 1
        except IntegrityError:
            # Another worker created this year's counter first; increment it.
            continue
    raise RuntimeError(
        f"Could not reserve a {counter.__tablename__} serial for department "
        f"{department_id} in {year} after 3 attempts"
    )


def _upsert(counter, department_id, year):
    # On InnoDB, workers that lose the race to insert the counter hold a
    # shared lock on it and then deadlock when each tries to increment it.
    # One INSERT ... ON DUPLICATE KEY UPDATE takes the exclusive lock at once.
    statement = (
        mysql.insert(counter)
        .values(department_id=department_id, year=year, last_serial=1)
        .on_duplicate_key_update(last_serial=counter.last_serial + 1)
    )
    db.session.execute(statement)
    return _read(counter, department_id, year)


def _increment(counter, department_id, year):
    result = db.session.execute(
        update(counter)
        .where(counter.department_id == department_id, counter.year == year)
        .values(last_serial=counter.last_serial + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _read(counter, department_id, year):
    return db.session.scalar(
        select(counter.last_serial).where(
            counter.department_id == department_id, counter.year == year
        )
    )
