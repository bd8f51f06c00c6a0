"""Flask extensions, created here and bound to the app in the factory."""

from datetime import datetime
from pathlib import Path

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, registry

from workflow import database_errors, mariadb

# Named constraints let Alembic alter and drop them the same way on SQLite,
# PostgreSQL and MariaDB.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # MariaDB's DATETIME drops fractions of a second unless asked for them,
    # and the outbox, audit log and sessions order rows by time.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: mariadb.DATETIME_MICROSECONDS},
    )


MIGRATIONS_DIRECTORY = Path(__file__).resolve().parent.parent / "migrations"

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are set per view; the storage comes from RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address)


def init_app(app):
    """Bind every extension to ``app``."""
    # Import the models so that Alembic and create_all see every table.
    import workflow.models  # noqa: F401

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if mariadb.is_mariadb(url.get_backend_name()):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = mariadb.engine_options(
            app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        )
    db.init_app(app)
    with app.app_context():
        database_errors.watch(db.engine)
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _configure_sqlite_connection)
        elif mariadb.is_mariadb(db.engine.dialect.name):
            mariadb.watch_database_collation(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIRECTORY))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


# Seconds a SQLite connection waits for another process's write to finish.
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def _configure_sqlite_connection(connection, _record):
    # SQLite ignores foreign keys unless each connection enables them. The
    # web server, the scheduler and the CLI share one file: write-ahead
    # logging lets them read while another writes, and the busy timeout
    # makes a writer wait for the lock instead of failing at once.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
