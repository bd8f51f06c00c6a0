"""Shared fixtures: one app per database backend, users, records, clients.

Every test that uses ``app`` runs on SQLite, then on the PostgreSQL and
MariaDB servers on 127.0.0.1. When a server is not reachable, its runs are
skipped with the reason shown in the summary.
"""

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, event, func, select, text
from werkzeug.security import generate_password_hash

from tests.helpers import (
    credit_code,
    csrf_token_from,
    new_counselor,
    nomination_values,
)
from tests.mail_servers import RecordingHandler, start_server
from web import create_app
from workflow import api_tokens, clock, engine, nominations
from workflow.demo import synthetic_id_number
from workflow.divisions import load_department_tree
from workflow.extensions import db, limiter
from workflow.mariadb import CHARSET as MARIADB_CHARSET
from workflow.mariadb import COLLATION as MARIADB_COLLATION
from workflow.models import (
    ApplicantOrganisation,
    Counselor,
    Department,
    DepartmentLevel,
    Role,
    User,
)

POSTGRES_SERVER = os.environ.get(
    "FUDAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
MARIADB_SERVER = os.environ.get(
    "FUDAO_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306"
)
# Separate checkouts on one machine can set their own database names.
POSTGRES_DATABASE = os.environ.get("FUDAO_TEST_POSTGRES_DB", "fudao_test")
MARIADB_DATABASE = os.environ.get("FUDAO_TEST_MARIADB_DB", "fudao_test")
BACKENDS = ["sqlite", "postgresql", "mariadb"]
# The demo departments are in Hubei, so tests use its tree.
TEST_PROVINCE = "42"
# The loopback ports of the SMTP servers the email tests start: the
# applicant mail server on the first, the outbox servers on the next two,
# the browser tests' live server's on the fourth.
# Separate checkouts on one machine can set their own first port.
SMTP_PORT = int(os.environ.get("FUDAO_TEST_SMTP_PORT", "25263"))
OUTBOX_SMTP_PORT = SMTP_PORT + 1
SPARE_SMTP_PORT = SMTP_PORT + 2
BROWSER_SMTP_PORT = SMTP_PORT + 3

# Tables that keep their rows between tests: the reference data loaded once
# per session. Every other table is emptied after each test, and rows a test
# adds to these tables are deleted after it.
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


def _server_url(backend, database, *, recreate=False):
    """Create ``database`` on ``backend``'s server; return its URL or a skip reason.

    With ``recreate`` an existing database of that name is dropped first.
    """
    server = _SERVERS[backend]
    try:
        admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            if recreate:
                connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
            server.create(connection, database)
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return None, f"{server.label} at {server.url} not reachable: {error}"
    return server.database_url(database), None


def _drop_database(backend, database):
    admin = create_engine(_SERVERS[backend].admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
    admin.dispose()


def _create_postgres_database(connection, database):
    exists = connection.scalar(
        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
    )
    if not exists:
        connection.execute(text(f"CREATE DATABASE {database}"))


def _create_mariadb_database(connection, database):
    connection.execute(
        text(
            f"CREATE DATABASE IF NOT EXISTS {database} "
            f"CHARACTER SET {MARIADB_CHARSET} COLLATE {MARIADB_COLLATION}"
        )
    )


@dataclasses.dataclass(frozen=True)
class _Server:
    label: str
    url: str
    admin_database: str
    create: Callable
    # Appended to the URL of a test database, such as the client charset.
    query: str = ""

    @property
    def admin_url(self):
        return f"{self.url}/{self.admin_database}{self.query}"

    def database_url(self, database):
        return f"{self.url}/{database}{self.query}"


_SERVERS = {
    "postgresql": _Server(
        "PostgreSQL", POSTGRES_SERVER, "postgres", _create_postgres_database
    ),
    "mariadb": _Server(
        "MariaDB",
        MARIADB_SERVER,
        "",
        _create_mariadb_database,
        query=f"?charset={MARIADB_CHARSET}",
    ),
}
_DATABASE_NAMES = {"postgresql": POSTGRES_DATABASE, "mariadb": MARIADB_DATABASE}


def _create_test_app(url):
    # Test databases are thrown away, so commits need not wait for the disk.
    # Transactions, locks and isolation behave as in production.
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"options": "-c synchronous_commit=off"}
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options
    )
    if url.startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _skip_sqlite_disk_sync)
    return app


def _skip_sqlite_disk_sync(connection, _record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    """Return an app with the schema created and Hubei's departments loaded."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "fudao.db"
        url = f"sqlite:///{path}"
    else:
        url, reason = _server_url(request.param, _DATABASE_NAMES[request.param])
        if url is None:
            pytest.skip(reason)
    app = _create_test_app(url)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_department_tree(only_province=TEST_PROVINCE)
        db.session.commit()
        app.config["TEST_LAST_REFERENCE_DEPARTMENT_ID"] = db.session.scalar(
            select(func.max(Department.id))
        )
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
        last_reference_id = app.config["TEST_LAST_REFERENCE_DEPARTMENT_ID"]
        db.session.execute(delete(Department).where(Department.id > last_reference_id))
        db.session.commit()
        clock.unfreeze()


@pytest.fixture
def department():
    """Return the department with a division code."""

    def find(code):
        return db.session.scalar(select(Department).where(Department.code == code))

    return find


@functools.cache
def _password_hash(password):
    # The product hashes with scrypt, which takes about 0.1 s per hash and
    # per sign-in. Test accounts use PBKDF2 with few rounds instead; the
    # stored method is read back by check_password_hash, so sign-in still
    # runs the real verification.
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture
def make_user(app_context, department):
    """Create a user in the department ``code`` with ``roles``.

    Each user gets a display name of their own, so a message that names a
    user shows which one.
    """
    counter = iter(range(1, 10_000))

    def make(code, *roles, password="correct horse battery"):
        serial = next(counter)
        user = User(
            username=f"user{serial}-{code}",
            display_name=f"测试用户{serial}-{code}",
            department=department(code),
            password_hash=_password_hash(password),
        )
        user.set_roles(roles)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_counselor(app_context, department):
    """Insert a counselor record of department ``code`` in ``state``.

    The record is written directly, without the engine and without audit
    events, so a test can start from any state. ``fields`` override the
    valid defaults of ``tests.helpers.new_counselor``.
    """
    counter = iter(range(1, 10_000))

    def make(code, state, **fields):
        record = new_counselor(department(code), state, next(counter), **fields)
        db.session.add(record)
        db.session.commit()
        return record

    return make


@pytest.fixture
def make_token(make_user, department):
    """Create an API token of department ``code`` acting with ``roles``.

    Returns the ``ApiToken`` and the request headers that present it. The
    token is created by a registry administrator of the same department.
    """
    admins = {}

    def make(code, *roles, name="省级平台同步", expires_at=None):
        if code not in admins:
            admins[code] = make_user(code, Role.REGISTRY_ADMIN)
        values = api_tokens.TokenValues(
            name=name,
            department_id=department(code).id,
            roles=frozenset(roles),
            expires_at=expires_at,
        )
        token, text = api_tokens.create_token(admins[code], values)
        return token, {"Authorization": f"Bearer {text}"}

    return make


@pytest.fixture
def api(app):
    """Return a client without a session, with the rate-limit counters cleared."""
    limiter.reset()
    yield app.test_client()
    limiter.reset()


@pytest.fixture
def township(app_context, department):
    """Add the township 鸣凤镇 (420525100) below 远安县 and return it."""
    county = department("420525")
    township = Department(
        code="420525100",
        division_name="鸣凤镇",
        name="鸣凤镇农业农村综合服务中心",
        level=DepartmentLevel.TOWNSHIP,
        parent=county,
        path=f"{county.path}420525100/",
    )
    db.session.add(township)
    db.session.commit()
    return township


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


@contextlib.contextmanager
def _scratch_app(backend, directory, name):
    """Yield an app on a new empty database ``name``, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'{name}.db'}"
    else:
        database = f"{_DATABASE_NAMES[backend]}_{name}"
        url, reason = _server_url(backend, database, recreate=True)
        if url is None:
            pytest.skip(reason)
    app = _create_test_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if backend != "sqlite":
        _drop_database(backend, database)


@pytest.fixture(params=BACKENDS)
def scratch_app(request, tmp_path):
    """Return an app on an empty database of its own, apart from ``app``'s.

    For tests of the schema itself, such as the migrations.
    """
    with _scratch_app(request.param, tmp_path, "scratch") as app:
        yield app


@pytest.fixture(scope="module", params=BACKENDS)
def full_tree_app(request, tmp_path_factory):
    """Return an app whose own database contains every province's departments.

    The tree is loaded once per module with ``flask divisions load``; the
    session's ``app`` keeps only 湖北省.
    """
    directory = tmp_path_factory.mktemp("tree")
    with _scratch_app(request.param, directory, "tree") as app:
        with app.app_context():
            db.create_all()
        result = app.test_cli_runner().invoke(args=["divisions", "load"])
        assert result.exit_code == 0, (result.output, repr(result.exception))
        app.config["TEST_LOAD_OUTPUT"] = result.output
        yield app


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server on loopback and point the app's mail at it."""
    handler = RecordingHandler()
    controller = start_server(handler, SMTP_PORT, smtputf8=False)
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=SMTP_PORT)
    yield handler
    app.config.update(saved)
    controller.stop()


@pytest.fixture
def attachment_folder(app, tmp_path):
    """Store uploaded files in a folder of the test's own."""
    folder = tmp_path / "attachments"
    saved = app.config.get("ATTACHMENT_FOLDER")
    app.config["ATTACHMENT_FOLDER"] = str(folder)
    yield folder
    app.config["ATTACHMENT_FOLDER"] = saved


@pytest.fixture
def make_applicant(app_context, department, attachment_folder):
    """Create a confirmed applicant organisation and its account.

    Files the applicant uploads go to the test's own attachment folder.
    """
    counter = iter(range(1, 10_000))

    def make(county_code="420525", password="correct horse battery"):
        serial = next(counter)
        code = credit_code(serial)
        organisation = ApplicantOrganisation(
            name=f"测试农民合作社联合社{serial}",
            credit_code=code,
            contact_person="刘红梅",
            contact_phone="13800001111",
            email=f"center{serial}@example.com",
            email_confirmed_at=datetime(2026, 1, 5, 9, 0),
        )
        user = User(
            username=code,
            display_name="刘红梅",
            department=department(county_code),
            organisation=organisation,
        )
        user.set_password(password)
        user.set_roles([Role.CENTER_APPLICANT])
        db.session.add_all([organisation, user])
        db.session.commit()
        return user

    return make


# Triggers that bring a freshly nominated record to each state.
PATHS = {
    "nominated": (),
    "under_review": ("start_review",),
    "returned": ("start_review", "return_for_revision"),
    "rejected": ("start_review", "reject"),
    "public_notice": ("start_review", "approve"),
    "appointed": ("start_review", "approve", "appoint"),
}


@pytest.fixture
def nominate_counselor(make_user, frozen_clock):
    """Nominate a counselor in department ``code`` and walk it to ``state``.

    Unlike ``make_counselor``, every step goes through the engine, so the
    dates and audit events are real. The nomination happens at ``at``, each
    later step one day after the previous one, and the appointment on the
    day after the notice ends.
    """
    staff = {}
    serials = iter(range(1, 500))

    def nominate(code, state="nominated", at=datetime(2026, 3, 2, 9, 0), **fields):
        if code not in staff:
            staff[code] = (
                make_user(code, Role.REGISTRY_ADMIN),
                make_user(code, Role.REVIEWER, Role.LEADER),
            )
        admin, reviewer = staff[code]
        serial = next(serials)
        birth = date(1970, 1, 1) + timedelta(days=serial * 97)
        values = nomination_values(
            id_number=synthetic_id_number(code, birth, serial, "女"),
            service_area_codes=[code],
            **fields,
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

    return nominate


def _next_step_time(record, trigger, previous):
    if trigger == "appoint":
        day_after = record.notice_ends_on + timedelta(days=1)
        return datetime.combine(day_after, datetime.min.time()).replace(hour=10)
    return previous + timedelta(days=1)


@pytest.fixture
def outbox_smtp(app_context):
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
        controllers.append(start_server(handler, OUTBOX_SMTP_PORT, smtputf8))
        app_context.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=OUTBOX_SMTP_PORT)
        app_context.config["SMTP_TIMEOUT"] = timeout
        return handler

    yield start
    for controller in controllers:
        controller.stop()
    app_context.config.update(saved)
