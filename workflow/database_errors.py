"""Database refusals that mean another user's write came first.

Two users may pass the same checks at the same moment and then both
write. The database settles it: a unique index rejects the second active
record for one person, or one transaction is chosen as a deadlock victim.
Such errors are turned into workflow errors as they are raised, on every
engine of the app, so the forms, the API, the import and the CLI show the
user a sentence in Chinese instead of a server error. Each message omits
the database's own text, which quotes the ID number.
"""

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from workflow.errors import ACTIVE_ID_NUMBER, ConcurrentWrite, DuplicateActiveRecord

# MariaDB's error numbers for a deadlock victim and a lock wait timeout.
MARIADB_LOCK_ERRORS = frozenset({1205, 1213})
# PostgreSQL's SQLSTATEs for a serialization failure and a deadlock victim.
POSTGRESQL_LOCK_STATES = frozenset({"40001", "40P01"})


def watch(engine):
    """Translate the refusals above on every statement ``engine`` runs."""
    event.listen(engine, "handle_error", _on_error)


def translated(error):
    """Return the workflow error that a SQLAlchemy ``error`` means, or None."""
    driver_error = getattr(error, "orig", None)
    if isinstance(error, IntegrityError) and ACTIVE_ID_NUMBER in str(driver_error):
        return DuplicateActiveRecord(
            f"second active record for one ID number: {type(driver_error).__name__}"
        )
    if isinstance(error, OperationalError) and _is_lock_conflict(driver_error):
        return ConcurrentWrite(
            f"transaction lost a lock conflict: {type(driver_error).__name__}"
        )
    return None


def _on_error(context):
    # SQLAlchemy raises what the handler returns in place of its own error.
    if context.sqlalchemy_exception is None:
        return None
    return translated(context.sqlalchemy_exception)


def _is_lock_conflict(driver_error):
    if getattr(driver_error, "sqlstate", None) in POSTGRESQL_LOCK_STATES:
        return True
    arguments = getattr(driver_error, "args", ())
    return bool(arguments) and arguments[0] in MARIADB_LOCK_ERRORS
