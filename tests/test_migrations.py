"""``flask db upgrade`` on an empty database builds exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from workflow.extensions import MIGRATIONS_DIRECTORY, db


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
