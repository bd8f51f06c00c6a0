"""Primary keys allocated up front for rows inserted in bulk.

A multi-row INSERT does not hand back one id per row on every database,
yet the rows that follow it (terms, audit events, child tables) need the
new ids. Allocating them before the INSERT lets every table go in as one
``executemany`` with plain values.
"""

from sqlalchemy import func, select, text

from workflow.extensions import db


def allocate_ids(table, count):
    """Return ``count`` unused primary keys of ``table``, inside the transaction.

    On PostgreSQL they come from the column's own sequence, so concurrent
    inserts through the ORM never collide with them. On SQLite they follow
    the highest id in use: SQLite lets one transaction write at a time, and
    the caller must already have written in this transaction (an import has
    stored its batch row), so no other writer can take the same ids before
    the commit.
    """
    if count == 0:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return _from_sequence(table, count)
    if dialect == "sqlite":
        return _after_highest(table, count)
    raise NotImplementedError(f"no id allocation for {dialect}; add it here")


def _from_sequence(table, count):
    query = text(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
        "FROM generate_series(1, :count)"
    )
    return list(db.session.scalars(query, {"table": table.name, "count": count}))


def _after_highest(table, count):
    highest = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    return list(range(highest + 1, highest + 1 + count))
