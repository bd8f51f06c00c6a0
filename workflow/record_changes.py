"""Writing the changes a step made to a record, guarded by its version.

The ORM's flush of a step's record and its audit event took 38% of a
step: it sorts the session's objects into a unit of work and diffs every
attribute's history. A workflow step changes only a few columns of one
row, which ``save`` writes as one Core statement:

    UPDATE counselor SET state = ..., version = 8, ...
    WHERE counselor.id = ... AND counselor.version = 7

together with a row that belongs to the change, such as the audit event.
If no row matches, someone changed the record since it was loaded and
``StaleDataError`` is raised, as the ORM's flush raises it. Otherwise the
new values become the record's loaded state. The session's copy then
matches the row, and the session does not write it again.
"""

from functools import cache

from sqlalchemy import bindparam, insert, inspect, literal_column, select, update
from sqlalchemy.orm import ColumnProperty
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from workflow.extensions import db


def save(record, table, row):
    """Write ``record``'s changed columns and insert ``row`` into ``table``.

    ``row`` is a row that goes with the change, such as its audit event.
    The UPDATE applies only where the version is the one loaded. A record
    whose relationships changed, or a model without a version column, goes
    through the ORM's flush instead. Does not commit.
    """
    state = inspect(record)
    mapper = state.mapper
    changed = sorted(state.committed_state)
    if changed and not _is_plain_column_change(mapper, changed):
        db.session.flush()
        changed = []
    if not changed:
        db.session.execute(insert(table).inline(), row)
        return

    version_key = _version_key(mapper)
    version = getattr(record, version_key)
    params = {f"new_{key}": getattr(record, key) for key in changed}
    params["record_id"] = state.identity[0]
    params["loaded_version"] = version
    params["new_version"] = version + 1
    # The session would flush the record first, through the ORM, writing
    # the very changes this statement writes.
    with db.session.no_autoflush:
        matched = _write(mapper, tuple(changed), table, row, params)
    if matched != 1:
        raise StaleDataError(
            f"{mapper.class_.__name__} {state.identity} is no longer at version "
            f"{version}; reload it and take the step again"
        )

    set_committed_value(record, version_key, version + 1)
    # NOTE: the session has no public call that marks one object as
    # written, so this is the private one its own flush makes after an
    # UPDATE. SQLAlchemy is pinned exactly, and tests/test_record_changes.py
    # fails if the call stops doing so.
    state._commit_all(state.dict, db.session.identity_map)


def _write(mapper, keys, table, row, params):
    # Returns the number of records updated. PostgreSQL takes the UPDATE
    # and the INSERT in one statement, saving a round trip, and inserts the
    # row only if the UPDATE matched. MariaDB and SQLite take two.
    update_statement = _versioned_update(mapper, keys)
    if db.session.get_bind().dialect.name != "postgresql":
        matched = db.session.execute(update_statement, params).rowcount
        if matched == 1:
            db.session.execute(insert(table).inline(), row)
        return matched
    params.update({f"row_{name}": value for name, value in row.items()})
    statement = _insert_after_update(update_statement, table, tuple(row))
    # The driver reports no row count for this statement, so the inserted
    # rows are counted instead: one when the UPDATE matched, else none.
    return len(db.session.execute(statement, params).all())


@cache
def _insert_after_update(update_statement, table, names):
    updated = update_statement.returning(literal_column("1")).cte("updated")
    values = select(
        *(bindparam(f"row_{name}", type_=table.c[name].type) for name in names)
    ).select_from(updated)
    return insert(table).from_select(names, values).returning(literal_column("1"))


def _is_plain_column_change(mapper, changed):
    version_key = _version_key(mapper)
    return (
        version_key is not None
        and version_key not in changed
        and all(isinstance(mapper.attrs.get(key), ColumnProperty) for key in changed)
    )


@cache
def _version_key(mapper):
    # None when the model cannot take the Core path: no version column, more
    # than one table or key column, or a column the database or SQLAlchemy
    # sets on every UPDATE, whose new value the record would not learn.
    if mapper.version_id_col is None or len(mapper.tables) != 1:
        return None
    if len(mapper.primary_key) != 1:
        return None
    if any(_set_on_update(mapper, column) for column in mapper.local_table.columns):
        return None
    return mapper.get_property_by_column(mapper.version_id_col).key


def _set_on_update(mapper, column):
    if column.onupdate is None and column.server_onupdate is None:
        return False
    # A generated column that no query loads, such as the counselor's
    # active ID number, leaves no stale value on the record.
    deferred = getattr(mapper.get_property_by_column(column), "deferred", False)
    return column.computed is None or not deferred


@cache
def _versioned_update(mapper, keys):
    # One statement per model and set of changed columns, kept so that
    # SQLAlchemy need not build it and derive its cache key on every step.
    version_column = mapper.version_id_col
    values = {mapper.attrs[key].columns[0]: bindparam(f"new_{key}") for key in keys}
    values[version_column] = bindparam("new_version")
    return (
        update(mapper.local_table)
        .where(mapper.primary_key[0] == bindparam("record_id"))
        .where(version_column == bindparam("loaded_version"))
        .values(values)
    )
