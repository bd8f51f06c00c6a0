"""INSERT that keeps the existing row when a unique key is already taken."""

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from workflow.extensions import db

_DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_missing(model, rows, unique_columns):
    """Insert ``rows`` of ``model``, skipping any whose unique key exists.

    Uses ``INSERT … ON CONFLICT DO NOTHING`` on PostgreSQL and SQLite, so
    two processes writing the same key at once both succeed and one row
    remains. Other databases insert row by row inside savepoints. Returns
    the number of rows inserted. Does not commit.
    """
    if not rows:
        return 0
    dialect_insert = _DIALECT_INSERTS.get(db.session.get_bind().dialect.name)
    if dialect_insert is None:
        return sum(_insert_in_savepoint(model, row) for row in rows)
    # RETURNING counts the rows inserted: psycopg reports no row count for
    # this statement, and a skipped row returns nothing.
    table = model.__table__
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing(index_elements=list(unique_columns))
        .returning(*table.primary_key.columns)
    )
    return len(db.session.execute(statement, rows).all())


def _insert_in_savepoint(model, row):
    try:
        with db.session.begin_nested():
            db.session.execute(insert(model).values(**row))
    except IntegrityError:
        return 0
    return 1
