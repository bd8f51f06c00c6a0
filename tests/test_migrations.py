"""``flask db upgrade`` on an empty database builds exactly the models' schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from web import create_app
from workflow.extensions import MIGRATIONS_DIRECTORY, db


# migrations/env.py tries Flask-SQLAlchemy's deprecated get_engine() first
# and falls back to .engine; the warning is unrelated to the schema.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_upgrade_matches_models(tmp_path):
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}"
    )

    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIRECTORY))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()

    assert differences == []
