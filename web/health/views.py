"""``/healthz`` (the process answers) and ``/readyz`` (it can serve requests).

Both answer JSON without a session: the before-request session check skips
them (see ``PROBE_ENDPOINTS`` in web/auth/sessions.py), they take only GET,
so CSRF never applies, and the rate limiter leaves them alone. ``/healthz``
touches no database, so a slow database never gets a healthy worker
restarted. ``/readyz`` answers 503 with a reason while the database is
unreachable or its schema is not at the migrations' head, which is what a
load balancer or a deployment script should wait for.
"""

import logging

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from workflow.extensions import MIGRATIONS_DIRECTORY, db, limiter

logger = logging.getLogger(__name__)

blueprint = Blueprint("health", __name__)

# Where ``flask db upgrade`` records the revisions applied.
VERSION_TABLE = "alembic_version"


@blueprint.route("/healthz")
@limiter.exempt
def alive():
    """Return 200 while the process can run a request."""
    return jsonify(status="ok")


@blueprint.route("/readyz")
@limiter.exempt
def ready():
    """Return 200 when the database is reachable and its schema is at head, else 503."""
    expected = migration_heads()
    try:
        with db.engine.connect() as connection:
            current = _applied_revisions(connection)
    except SQLAlchemyError as error:
        logger.warning("readiness: database unreachable: %s", error)
        return _unavailable("database_unreachable", error=type(error).__name__)
    if not current:
        return _unavailable("migrations_not_applied", expected=sorted(expected))
    if current != expected:
        return _unavailable(
            "migrations_not_at_head",
            expected=sorted(expected),
            current=sorted(current),
        )
    return jsonify(status="ready", revision=sorted(current))


def migration_heads():
    """Return the head revisions of the migrations shipped with this code."""
    heads = current_app.extensions.get("fudao_migration_heads")
    if heads is None:
        script = ScriptDirectory(str(MIGRATIONS_DIRECTORY))
        heads = frozenset(script.get_heads())
        current_app.extensions["fudao_migration_heads"] = heads
    return heads


def _applied_revisions(connection):
    # Read Alembic's table directly: its MigrationContext logs two INFO
    # lines each time, once per probe.
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def _unavailable(reason, **details):
    return jsonify(status="unavailable", reason=reason, **details), 503
