"""The Alembic revisions build exactly the schema the models declare."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from web import create_app
from workflow.extensions import db


# migrations/env.py, as Flask-Migrate generated it, still calls the
# deprecated Flask-SQLAlchemy get_engine().
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_upgrade_on_empty_database_matches_models(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/m.db")

    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), db.metadata
            )
        db.engine.dispose()

    assert differences == []
