"""Applicant self-registration, the confirmation email and signing in."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.center_pages import flashes, post_form
from tests.helpers import credit_code
from workflow.extensions import db
from workflow.models import ApplicantOrganisation, User

REGISTRATION = {
    "name": "兴山县农业社会化服务有限公司",
    "county_code": "420526",
    "contact_person": "陈立新",
    "contact_phone": "13900002222",
    "email": "clx@example.com",
    "password": "long enough secret",
    "password_again": "long enough secret",
}


def _register(client, **overrides):
    fields = {**REGISTRATION, "credit_code": credit_code(31), **overrides}
    return post_form(client, "/apply/register", fields)


def _confirmation_path(message):
    return re.search(r"http://localhost(/apply/confirm/\S+)", message.get_content())


def _sign_in(client, username, password=REGISTRATION["password"]):
    return post_form(client, "/sign-in", {"username": username, "password": password})


def test_registration_sends_confirmation_email(
    app, app_context, smtp_server, frozen_clock
):
    client = app.test_client()

    response = _register(client)

    assert response.status_code == 303
    message = smtp_server.messages[-1]
    assert message["To"] == "clx@example.com"
    assert "确认" in message["Subject"]
    assert credit_code(31) in message.get_content()
    assert _confirmation_path(message) is not None
    user = db.session.scalar(select(User).where(User.username == credit_code(31)))
    assert user.department.code == "420526"
    assert user.organisation.is_confirmed is False


def test_sign_in_waits_for_confirmation(app, app_context, smtp_server, frozen_clock):
    client = app.test_client()
    _register(client)

    refused = _sign_in(client, credit_code(31))
    client.get(_confirmation_path(smtp_server.messages[-1]).group(1))
    accepted = _sign_in(client, credit_code(31))

    assert refused.status_code == 200
    assert "请先打开确认邮件中的链接" in " ".join(flashes(refused))
    assert accepted.status_code == 302
    assert client.get("/").headers["Location"] == "/centers/mine"


def test_confirmation_link_expires(app, app_context, smtp_server, frozen_clock):
    client = app.test_client()
    _register(client)
    path = _confirmation_path(smtp_server.messages[-1]).group(1)
    frozen_clock(datetime(2026, 3, 4, 9, 1))

    response = client.get(path, follow_redirects=True)

    assert "确认链接无效或已过期" in " ".join(flashes(response))
    assert db.session.scalar(select(ApplicantOrganisation.email_confirmed_at)) is None


def test_confirmation_link_works_once(app, app_context, smtp_server, frozen_clock):
    client = app.test_client()
    _register(client)
    path = _confirmation_path(smtp_server.messages[-1]).group(1)
    client.get(path)

    again = client.get(path, follow_redirects=True)

    assert "确认链接无效或已过期" in " ".join(flashes(again))


def test_resend_replaces_the_link(app, app_context, smtp_server, frozen_clock):
    client = app.test_client()
    _register(client)
    first = _confirmation_path(smtp_server.messages[-1]).group(1)

    post_form(
        client,
        "/apply/resend",
        {"credit_code": credit_code(31), "email": REGISTRATION["email"]},
    )
    second = _confirmation_path(smtp_server.messages[-1]).group(1)

    assert len(smtp_server.messages) == 2
    assert "无效" in " ".join(flashes(client.get(first, follow_redirects=True)))
    assert "邮箱已确认" in " ".join(flashes(client.get(second, follow_redirects=True)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "93420525MA4B000070"}, "统一社会信用代码校验位不正确"),
        ({"credit_code": "93420525"}, "统一社会信用代码应为18位"),
        ({"contact_phone": "0717123"}, "手机号码应为以1开头的11位数字"),
        ({"email": "not-an-email"}, "电子邮箱格式不正确"),
        ({"password_again": "something else"}, "两次输入的密码不一致"),
        ({"county_code": "420500"}, "不是有效的选择"),
    ],
)
def test_registration_rejects_bad_input(
    app, app_context, smtp_server, overrides, message
):
    response = _register(app.test_client(), **overrides)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApplicantOrganisation.id))) == 0
    assert smtp_server.messages == []


def test_duplicate_credit_code_rejected(app, app_context, smtp_server):
    _register(app.test_client())

    response = _register(app.test_client(), name="另一家公司", email="x@example.com")

    assert "该统一社会信用代码已经注册" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApplicantOrganisation.id))) == 1
    assert len(smtp_server.messages) == 1


def test_unreachable_mail_server_keeps_account(app, app_context, frozen_clock):
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    # Nothing listens on port 9 (discard) of loopback here, so the
    # connection is refused at once.
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    try:
        response = _register(app.test_client())
    finally:
        app.config.update(saved)

    assert response.status_code == 303
    assert db.session.scalar(select(func.count(ApplicantOrganisation.id))) == 1
