"""``flask accounts create-admin``: the first administrator of a server."""

import re

from sqlalchemy import select

from tests.helpers import csrf_token_from
from workflow.extensions import db
from workflow.models import SecurityEvent, User
from workflow.roles import Role


def _create(app, *arguments):
    runner = app.test_cli_runner()
    return runner.invoke(args=["accounts", "create-admin", *arguments])


def test_create_admin_prints_one_time_password(app, app_context):
    result = _create(app, "yuanan-admin", "--department", "420525", "--name", "王芳")

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "yuanan-admin"))
    assert user.roles == {Role.REGISTRY_ADMIN}
    assert user.department.code == "420525"
    assert user.must_change_password
    event = db.session.scalar(select(SecurityEvent))
    assert event.action == "account_created"
    assert event.subject_id == user.id


def test_one_time_password_signs_in(app, app_context):
    result = _create(app, "yuanan-admin", "--department", "420525", "--name", "王芳")
    password = re.search(r"one-time password: (\S+)", result.output).group(1)
    client = app.test_client()
    page = client.get("/sign-in")

    response = client.post(
        "/sign-in",
        data={
            "username": "yuanan-admin",
            "password": password,
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/password")


def test_unknown_department_is_rejected(app, app_context):
    result = _create(app, "nobody", "--department", "999999", "--name", "某人")

    assert result.exit_code == 1
    assert "no department with code '999999'" in result.output
    assert db.session.scalar(select(User)) is None


def test_taken_username_is_rejected(app, app_context):
    _create(app, "yuanan-admin", "--department", "420525", "--name", "王芳")

    result = _create(app, "Yuanan-Admin", "--department", "420525", "--name", "李强")

    assert result.exit_code == 1
    assert "is taken" in result.output
