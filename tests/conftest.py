"""Shared fixtures: one app per database backend, users, records, clients.

Every test that uses ``app`` runs on SQLite and again on the PostgreSQL
server on 127.0.0.1 when it is reachable; otherwise the PostgreSQL run is
skipped with the reason shown in the summary.
"""

import os
from datetime import date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from tests.helpers import csrf_token_from, nomination_values
from web import create_app
from workflow import clock, engine, nominations
from workflow.demo import synthetic_id_number
from workflow.divisions import load_department_tree
from workflow.extensions import db
from workflow.models import Counselor, Department, Role, User

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


# Triggers that bring a freshly nominated record to each state.
PATHS = {
    "nominated": (),
    "under_review": ("start_review",),
    "returned": ("start_review", "return_for_revision"),
    "rejected": ("start_review", "reject"),
    "public_notice": ("start_review", "approve"),
    "appointed": ("start_review", "approve", "appoint"),
}


def _add_staff(department, code):
    # Staff who never sign in get an unusable password: hashing one costs
    # a third of a second, and a test may need a dozen of these accounts.
    accounts = []
    for roles in ((Role.REGISTRY_ADMIN,), (Role.REVIEWER, Role.LEADER)):
        user = User(
            username=f"staff-{code}-{roles[0].value}",
            display_name=f"办理人{code}",
            department=department,
            password_hash="!",
        )
        user.set_roles(roles)
        db.session.add(user)
        accounts.append(user)
    db.session.commit()
    return accounts


@pytest.fixture
def make_counselor(app_context, department, frozen_clock):
    """Nominate a counselor in department ``code`` and walk it to ``state``.

    The nomination happens at ``at``; each later step one day after the
    previous one, and the appointment on the day after the notice ends.
    Every step goes through the engine, so audit events are real.
    """
    staff = {}
    serials = iter(range(1, 500))

    def make(code, state="nominated", at=datetime(2026, 3, 2, 9, 0), **overrides):
        if code not in staff:
            staff[code] = _add_staff(department(code), code)
        admin, reviewer = staff[code]
        serial = next(serials)
        birth = date(1970, 1, 1) + timedelta(days=serial * 97)
        values = nomination_values(
            id_number=synthetic_id_number(code, birth, serial, "女"),
            service_area_codes=[code],
            **overrides,
        )
        frozen_clock(at)
        record = nominations.create_nomination(admin, values, submit=True)
        moment = at
        for trigger in PATHS[state]:
            moment = _next_step_time(record, trigger, moment)
            frozen_clock(moment)
            comment = "理由" if trigger in ("return_for_revision", "reject") else None
            record = engine.fire(
                Counselor, record.id, trigger, reviewer, comment=comment
            )
        return record

    return make


def _next_step_time(record, trigger, previous):
    if trigger == "appoint":
        day_after = record.notice_ends_on + timedelta(days=1)
        return datetime.combine(day_after, datetime.min.time()).replace(hour=10)
    return previous + timedelta(days=1)
