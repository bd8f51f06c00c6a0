"""The Alembic revisions build exactly the schema the models declare."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_DATABASE, POSTGRES_SERVER
from web import create_app
from workflow.extensions import MIGRATIONS_DIRECTORY, db


def _fresh_postgres_url():
    name = f"{POSTGRES_DATABASE}_migrations"
    try:
        admin = create_engine(
            f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        pytest.skip(f"PostgreSQL at {POSTGRES_SERVER} not reachable: {error}")
    return f"{POSTGRES_SERVER}/{name}"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_on_empty_database_matches_models(backend, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        url = _fresh_postgres_url()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)

    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIRECTORY))
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), db.metadata
            )
        db.engine.dispose()

    assert differences == []
