"""INSERT that keeps the existing row when a unique key is already taken."""

from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from workflow import mariadb
from workflow.extensions import db

_DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
# Rows per INSERT IGNORE statement on MariaDB: the warnings that prove only
# duplicates were skipped belong to one statement.
_ROWS_PER_STATEMENT = 500


class SkippedRowError(RuntimeError):
    """INSERT IGNORE skipped or changed a row for a reason other than a duplicate."""


def insert_missing(model, rows, unique_columns):
    """Insert ``rows`` of ``model``, skipping any whose unique key exists.

    Uses ``INSERT … ON CONFLICT DO NOTHING`` on PostgreSQL and SQLite and
    ``INSERT IGNORE`` on MariaDB and MySQL, so two processes writing the
    same key at once both succeed and one row remains. Other databases
    insert row by row inside savepoints. Returns the number of rows
    inserted. Does not commit.

    Raises ``SkippedRowError`` when MariaDB reports a warning other than a
    duplicate key, such as a truncated value or a missing foreign row.
    """
    if not rows:
        return 0
    dialect_name = db.session.get_bind().dialect.name
    if mariadb.is_mariadb(dialect_name):
        return _insert_ignore(model.__table__, rows)
    dialect_insert = _DIALECT_INSERTS.get(dialect_name)
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


def _insert_ignore(table, rows):
    # ON DUPLICATE KEY UPDATE cannot count the new rows: SQLAlchemy connects
    # with CLIENT_FOUND_ROWS, which counts a kept row like an inserted one.
    # INSERT IGNORE counts only new rows, but it also turns other errors into
    # warnings. Each skipped duplicate leaves exactly one warning, so any
    # other warning count means a row was truncated or rejected.
    inserted = 0
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start : start + _ROWS_PER_STATEMENT]
        statement = insert(table).prefix_with("IGNORE").values(chunk)
        added = db.session.execute(statement).rowcount
        warnings = db.session.scalar(text("SELECT @@warning_count"))
        if warnings != len(chunk) - added:
            listed = db.session.execute(text("SHOW WARNINGS")).all()
            raise SkippedRowError(
                f"INSERT IGNORE into {table.name} reported {warnings} warnings "
                f"for {len(chunk) - added} duplicate rows, first {listed[:5]}; "
                f"roll back and fix the rows, because only duplicates may be "
                f"skipped."
            )
        inserted += added
    return inserted


def _insert_in_savepoint(model, row):
    try:
        with db.session.begin_nested():
            db.session.execute(insert(model).values(**row))
    except IntegrityError:
        return 0
    return 1
