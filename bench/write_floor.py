"""The minimum time the database needs to store what an import wrote.

``measure_floor`` is called right after an import has committed into an
otherwise fresh database. It saves every row of the tables the import
filled and empties those tables. Then it times storing the same rows again
in one transaction by the driver's fastest bulk path: ``COPY`` of the
server's own text output on PostgreSQL, ``executemany`` of the raw stored
values elsewhere. No Python code of the product runs while it is timed, so
this is the least time an import can spend writing its rows through these
drivers, on the same schema, indexes and constraints.
"""

import time
from contextlib import closing

from sqlalchemy import func, select


def row_counts(session, metadata):
    """Return the number of rows of every table, by table."""
    return {
        table: session.scalar(select(func.count()).select_from(table))
        for table in metadata.sorted_tables
    }


def measure_floor(session, metadata, counts_before, process_cpu):
    """Time storing again the rows written since ``counts_before``.

    Every table that gained rows must have been empty before, so the rows
    saved are exactly the import's. ``process_cpu`` reads the CPU time of
    the database server's process (0 for SQLite). Returns a dict of
    seconds, CPU seconds of this process and of the server, rows, and the
    CPU seconds of each table (this process's and the server's together).
    """
    filled = [
        table
        for table in metadata.sorted_tables
        if session.scalar(select(func.count()).select_from(table))
        > counts_before[table]
    ]
    for table in filled:
        if counts_before[table]:
            raise RuntimeError(f"{table.name} held rows before the import")
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    postgresql = connection.dialect.name == "postgresql"
    saved = [(table, _save(raw, table, postgresql)) for table in filled]
    _empty(raw, [table for table, _ in saved], postgresql)
    raw.commit()

    server_before = process_cpu()
    started, cpu = time.perf_counter(), time.process_time()
    per_table = {}
    with closing(raw.cursor()) as cursor:
        for table, rows in saved:
            table_cpu = time.process_time() + process_cpu()
            _store(cursor, table, rows, postgresql, connection.dialect)
            per_table[table.name] = time.process_time() + process_cpu() - table_cpu
    raw.commit()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "server_cpu_seconds": process_cpu() - server_before,
        "rows": sum(_row_count(rows, postgresql) for _, rows in saved),
        "table_cpu_seconds": per_table,
    }


def _stored_columns(table):
    # A generated column's value is computed by the database on insert.
    return [column for column in table.columns if column.computed is None]


def _columns(table, quote):
    return ", ".join(quote(column.name) for column in _stored_columns(table))


def _save(raw, table, postgresql):
    with closing(raw.cursor()) as cursor:
        if postgresql:
            names = _columns(table, _pg_quote)
            query = f"COPY {_pg_quote(table.name)} ({names}) TO STDOUT"
            with cursor.copy(query) as copy:
                return b"".join(bytes(block) for block in copy)
        names = _columns(table, _plain_quote)
        cursor.execute(f"SELECT {names} FROM {_plain_quote(table.name)}")
        return cursor.fetchall()


def _empty(raw, tables, postgresql):
    with closing(raw.cursor()) as cursor:
        if postgresql:
            names = ", ".join(_pg_quote(table.name) for table in tables)
            # CASCADE also empties the tables that refer to these. In a
            # fresh database only the import has written to any of them.
            cursor.execute(f"TRUNCATE {names} CASCADE")
            return
        for table in reversed(tables):
            cursor.execute(f"DELETE FROM {_plain_quote(table.name)}")


def _store(cursor, table, rows, postgresql, dialect):
    if postgresql:
        names = _columns(table, _pg_quote)
        with cursor.copy(f"COPY {_pg_quote(table.name)} ({names}) FROM STDIN") as copy:
            copy.write(rows)
        return
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    names = _columns(table, _plain_quote)
    markers = ", ".join([marker] * len(_stored_columns(table)))
    cursor.executemany(
        f"INSERT INTO {_plain_quote(table.name)} ({names}) VALUES ({markers})", rows
    )


def _row_count(rows, postgresql):
    # COPY's text format ends every row with a newline and escapes any
    # newline inside a value.
    return rows.count(b"\n") if postgresql else len(rows)


def _pg_quote(name):
    return '"' + name + '"'


def _plain_quote(name):
    # SQLite accepts MySQL's backquotes, and MariaDB takes nothing else
    # unless ANSI_QUOTES is set.
    return "`" + name + "`"
