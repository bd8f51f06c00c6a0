"""Shared fixtures: one app per database backend, users, records, clients.

Every test that uses ``app`` runs on SQLite and again on the PostgreSQL
server on 127.0.0.1 when it is reachable; otherwise the PostgreSQL run is
skipped with the reason shown in the summary.
"""

import os
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from tests.helpers import csrf_token_from
from tests.mail_servers import RecordingHandler, start_server
from web import create_app
from workflow import clock
from workflow.divisions import load_department_tree
from workflow.extensions import db
from workflow.models import Department, User

POSTGRES_SERVER = os.environ.get(
    "FUDAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
# Separate checkouts on one machine can set their own database name.
POSTGRES_DATABASE = os.environ.get("FUDAO_TEST_POSTGRES_DB", "fudao_test")
# Hubei holds the demo departments; tests use its tree.
TEST_PROVINCE = "42"

# Tables that keep their rows between tests: the reference data loaded once
# per session. Every other table is emptied after each test.
_SESSION_TABLES = {"department"}


class IsolatedClient(FlaskClient):
    """A test client whose every request gets a fresh app context.

    Flask reuses an app context that is already pushed, and the tests push
    one to reach the database; without this, requests would share the test's
    ``g`` (and its signed-in user) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _postgres_url():
    """Create the test database if needed; return its URL or a skip reason."""
    try:
        admin = create_engine(
            f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": POSTGRES_DATABASE},
            )
            if not exists:
                connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return None, f"PostgreSQL at {POSTGRES_SERVER} not reachable: {error}"
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}", None


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    """Return an app with the schema created and Hubei's departments loaded."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "fudao.db"
        url = f"sqlite:///{path}"
    else:
        url, reason = _postgres_url()
        if url is None:
            pytest.skip(reason)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_department_tree(only_province=TEST_PROVINCE)
        db.session.commit()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app_context(app):
    """Push an app context and empty the per-test tables afterwards."""
    with app.app_context():
        yield app
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in _SESSION_TABLES:
                db.session.execute(table.delete())
        db.session.commit()
        clock.unfreeze()


@pytest.fixture
def department():
    """Return the department with a division code."""

    def find(code):
        return db.session.scalar(select(Department).where(Department.code == code))

    return find


@pytest.fixture
def make_user(app_context, department):
    """Create a user in the department ``code`` with ``roles``."""
    counter = iter(range(1, 10_000))

    def make(code, *roles, password="correct horse battery"):
        user = User(
            username=f"user{next(counter)}-{code}",
            display_name=f"测试用户{code}",
            department=department(code),
        )
        user.set_password(password)
        user.set_roles(roles)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def frozen_clock(app_context):
    """Freeze the workflow clock; call the fixture's value to move it."""

    def set_time(moment):
        clock.freeze(moment)
        return moment

    set_time(datetime(2026, 3, 2, 9, 0))
    yield set_time
    clock.unfreeze()


@pytest.fixture
def sign_in(app):
    """Return a test client signed in as ``user``."""

    def sign_in_as(user, password="correct horse battery"):
        client = app.test_client()
        page = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={
                "username": user.username,
                "password": password,
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in_as


# Loopback ports for the SMTP servers the tests start.
SMTP_PORT = 25251
SPARE_SMTP_PORT = 25252


@pytest.fixture
def smtp_server(app_context):
    """Start an SMTP server with ``handler`` and point the app's mail at it.

    Call the fixture's value with a handler (a ``RecordingHandler`` by
    default); it returns the handler. The server stops after the test.
    """
    controllers = []
    saved = {
        key: app_context.config[key]
        for key in ("SMTP_HOST", "SMTP_PORT", "SMTP_TIMEOUT")
    }

    def start(handler=None, *, smtputf8=True, timeout=5):
        handler = handler or RecordingHandler()
        controllers.append(start_server(handler, SMTP_PORT, smtputf8))
        app_context.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=SMTP_PORT)
        app_context.config["SMTP_TIMEOUT"] = timeout
        return handler

    yield start
    for controller in controllers:
        controller.stop()
    app_context.config.update(saved)
