"""``flask db upgrade`` on an empty database builds exactly the models' schema."""

import importlib.util

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.dialects import mysql

from workflow.extensions import MIGRATIONS_DIRECTORY, db
from workflow.states.counselor import ACTIVE_STATES


def _run_db_command(app, *args):
    # Run the same command line as `flask --app wsgi db ...`.
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, (result.output, repr(result.exception))


def test_upgrade_matches_models(scratch_app):
    _run_db_command(scratch_app, "upgrade")

    with scratch_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_reaches_single_head(scratch_app):
    heads = ScriptDirectory(str(MIGRATIONS_DIRECTORY)).get_heads()

    _run_db_command(scratch_app, "upgrade")

    with scratch_app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1
    assert current == tuple(heads)


def test_downgrade_removes_every_table(scratch_app):
    _run_db_command(scratch_app, "upgrade")

    _run_db_command(scratch_app, "downgrade", "base")

    with scratch_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert tables <= {"alembic_version"}


def test_upgrade_widens_stored_files_on_mariadb(scratch_app):
    _run_db_command(scratch_app, "upgrade")

    with scratch_app.app_context():
        if db.engine.dialect.name not in ("mysql", "mariadb"):
            pytest.skip("only MariaDB limits BLOB and TEXT to 64 KiB")
        inspector = inspect(db.engine)
        batch = {c["name"]: c["type"] for c in inspector.get_columns("import_batch")}
        strike = {c["name"]: c["type"] for c in inspector.get_columns("strike_off")}
    assert isinstance(batch["content"], mysql.LONGBLOB)
    assert isinstance(batch["report"], mysql.LONGTEXT)
    assert isinstance(strike["evidence"], mysql.LONGBLOB)


def test_active_id_number_migration_names_active_states():
    # A revision is frozen when written. A change to the active states
    # needs a new revision that rebuilds the generated column.
    path = next(MIGRATIONS_DIRECTORY.glob("versions/4e1b7c9a2d65_*.py"))
    spec = importlib.util.spec_from_file_location("active_id_number", path)
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)

    names = {name.strip(" '") for name in revision.ACTIVE.split(",")}

    assert names == {state.name for state in ACTIVE_STATES}
