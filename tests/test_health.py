"""The liveness and readiness probes."""

import pytest
from sqlalchemy import text

from web import create_app
from web.health.views import migration_heads
from workflow.extensions import db
from workflow.models import Role


@pytest.fixture
def unreachable_app(tmp_path):
    """Return an app whose SQLite file lies in a folder that does not exist."""
    url = f"sqlite:///{tmp_path / 'missing' / 'fudao.db'}"
    return create_app("testing", SQLALCHEMY_DATABASE_URI=url)


@pytest.fixture
def stamp(app_context):
    """Write a revision into alembic_version, as ``flask db upgrade`` does."""

    def write(revision):
        db.session.execute(text("DELETE FROM alembic_version"))
        db.session.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:revision)"),
            {"revision": revision},
        )
        db.session.commit()

    db.session.execute(
        text(
            "CREATE TABLE alembic_version "
            "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
        )
    )
    db.session.commit()
    yield write
    db.session.execute(text("DROP TABLE alembic_version"))
    db.session.commit()


def test_healthz_answers_without_database(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_healthz_ignores_a_session_cookie(unreachable_app):
    client = unreachable_app.test_client()
    client.set_cookie("fudao_remember", "some-token")

    response = client.get("/healthz")

    assert response.status_code == 200


def test_readyz_database_unreachable(unreachable_app):
    response = unreachable_app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reason"] == "database_unreachable"


def test_readyz_migrations_not_applied(app, app_context):
    # The test schema comes from create_all, which writes no revision.
    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reason"] == "migrations_not_applied"
    assert response.get_json()["expected"] == sorted(migration_heads())


def test_readyz_at_head(app, stamp):
    (head,) = migration_heads()
    stamp(head)

    response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "revision": [head]}


def test_readyz_behind_head(app, stamp):
    stamp("ef6c457eb202")

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["reason"] == "migrations_not_at_head"
    assert body["current"] == ["ef6c457eb202"]


def test_probes_need_no_sign_in_when_signed_in(app, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
