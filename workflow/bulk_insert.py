"""Inserting thousands of new rows at once, inside the caller's transaction.

A spreadsheet import writes about seven rows per person (the record, its
term, its audit event and its multi-valued fields), 200,000 rows for a
province. Through the ORM, or even through Core's ``executemany``, the
Python work per row costs more than the database's. Here ids are
allocated up front, so dependent rows can be built before anything is
inserted, and each table's rows go to the driver in one call: ``COPY`` on
PostgreSQL, the driver's ``executemany`` elsewhere. Values pass through
the columns' SQLAlchemy bind processors, so they are stored exactly as the
ORM would store them.
"""

from operator import itemgetter

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from workflow.database_errors import translated
from workflow.errors import ConcurrentWrite
from workflow.extensions import db

# The placeholder each DB-API parameter style uses for a positional value.
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
# Marks a value not yet processed in a column's processed values.
_UNSEEN = object()


def allocate_ids(table, count):
    """Return ``count`` unused primary keys of ``table``, inside the transaction.

    On PostgreSQL they come from the column's own sequence, so concurrent
    inserts through the ORM never collide with them. On SQLite they follow
    the highest id in use. SQLite lets one transaction write at a time, and
    the caller must already have written in this transaction (an import has
    stored its batch row). So no other writer can take the same ids before
    the commit. Insert the rows before anything else inserts into
    ``table`` in the same transaction, or SQLite hands out the ids again.

    On MariaDB they start a margin past the table's AUTO_INCREMENT counter;
    see ``_past_counter``.
    """
    if count == 0:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return _from_sequence(table, count)
    if dialect == "sqlite":
        return _after_highest(table, count)
    if dialect in ("mariadb", "mysql"):
        return _past_counter(table, count)
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


# Ids left free for other writers' inserts while an import builds its rows.
COUNTER_MARGIN = 10_000


def _past_counter(table, count):
    # InnoDB hands out AUTO_INCREMENT values to other transactions while
    # this one builds its rows, and there is no way to reserve a block of
    # them without committing. Starting COUNTER_MARGIN past the counter
    # leaves room for that many concurrent inserts. Once the rows are in,
    # InnoDB moves the counter past the highest of them. Should more than
    # the margin arrive in between, the insert fails on a duplicate key and
    # the whole transaction rolls back, so nothing is half-written.
    # NOTE: two imports at the same moment read the same counter, so the
    # later one always fails this way and its user is asked to send it
    # again (ConcurrentWrite, see _id_taken).
    counter = db.session.scalar(
        text(
            "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table"
        ),
        {"table": table.name},
    )
    highest = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    start = max(counter or 1, highest + 1) + COUNTER_MARGIN
    return list(range(start, start + count))


def insert_rows(table, rows):
    """Insert ``rows``, mappings from column key to value, into ``table``.

    Every mapping must name the same columns; keys that are not columns of
    ``table`` are ignored. A column none of them names takes its scalar
    default, and raises ``ValueError`` if its default is computed in Python
    (such as ``datetime.now``), because it would be computed once, not per
    row. Bypasses the session: flush ORM changes the rows depend on first.
    """
    if not rows:
        return
    keys = [column.key for column in table.columns if column.key in rows[0]]
    defaults = _scalar_defaults(table, keys)
    values = itemgetter(*keys)
    tuples = [values(row) for row in rows]
    if len(keys) == 1:
        tuples = [(value,) for value in tuples]
    if defaults:
        keys += list(defaults)
        tuples = [(*row, *defaults.values()) for row in tuples]
    connection = db.session.connection()
    _write(connection, table, keys, _processed(connection.dialect, table, keys, tuples))


def _scalar_defaults(table, keys):
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.key in keys or default is None:
            continue
        if not default.is_scalar:
            raise ValueError(f"give {table.name}.{column.key}; its default is computed")
        defaults[column.key] = default.arg
    return defaults


def _processed(dialect, table, keys, tuples):
    # Imported rows repeat most dates and states, so each column keeps the
    # processed form of every distinct value it has met.
    processors = []
    for position, key in enumerate(keys):
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((position, process, {}))
    if not processors:
        return tuples
    processed = []
    for row in tuples:
        row = list(row)
        for position, process, known in processors:
            value = row[position]
            result = known.get(value, _UNSEEN)
            if result is _UNSEEN:
                result = known[value] = process(value)
            row[position] = result
        processed.append(row)
    return processed


def _write(connection, table, keys, rows):
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.c[key].name) for key in keys)
    name = quote(table.name)
    cursor = connection.connection.cursor()
    driver_error = dialect.loaded_dbapi.Error
    try:
        if dialect.name == "postgresql":
            statement = f"COPY {name} ({columns}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join([PLACEHOLDERS[dialect.paramstyle]] * len(keys))
            statement = f"INSERT INTO {name} ({columns}) VALUES ({marks})"
            cursor.executemany(statement, rows)
    except driver_error as error:
        # Raised as a statement of the session would raise it: wrapped as
        # SQLAlchemy wraps driver errors, then translated as the engine's
        # other errors are.
        wrapped = DBAPIError.instance(statement, None, error, driver_error)
        raise translated(wrapped) or _id_taken(dialect, wrapped) or wrapped from error
    finally:
        cursor.close()


def _id_taken(dialect, error):
    # On MariaDB two imports at the same moment can start from the same
    # counter (see _past_counter), and the later one meets the other's ids.
    if dialect.name in ("mariadb", "mysql") and isinstance(error, IntegrityError):
        if "PRIMARY" in str(error.orig):
            return ConcurrentWrite(f"ids allocated twice: {type(error.orig).__name__}")
    return None
