"""Sign-in: lockout per account and address, safe redirects, fresh sessions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token_from, post_form
from workflow import clock
from workflow.extensions import db
from workflow.models import Role, SecurityEvent

GOOD = "correct horse battery"


def _attempt(app, username, password, address="192.0.2.10", next_url=None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return post_form(client, url, data={"username": username, "password": password})


def test_account_locks_after_five_failures(make_user, app):
    user = make_user("420525", Role.REVIEWER)

    for _ in range(5):
        _attempt(app, user.username, "wrong password")
    refused = _attempt(app, user.username, GOOD)

    db.session.refresh(user)
    assert refused.status_code == 200
    assert "账号已锁定" in refused.get_data(as_text=True)
    assert user.locked_until - clock.wall_now() > timedelta(minutes=14)


def test_lock_grows_with_each_further_failure(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    for _ in range(5):
        _attempt(app, user.username, "wrong password")
    user.locked_until = clock.wall_now() - timedelta(seconds=1)
    db.session.commit()

    _attempt(app, user.username, "wrong again")

    db.session.refresh(user)
    assert user.failed_sign_ins == 6
    assert user.locked_until - clock.wall_now() > timedelta(minutes=29)


def test_four_failures_then_success_resets_count(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    for _ in range(4):
        _attempt(app, user.username, "wrong password")

    accepted = _attempt(app, user.username, GOOD)

    db.session.refresh(user)
    assert accepted.status_code == 302
    assert user.failed_sign_ins == 0


def test_admin_unlock_lets_user_in(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    user = make_user("420525", Role.REVIEWER)
    for _ in range(5):
        _attempt(app, user.username, "wrong password")

    post_form(sign_in(admin), "/accounts/", f"/accounts/{user.id}/unlock")
    accepted = _attempt(app, user.username, GOOD)

    assert accepted.status_code == 302


def test_address_is_blocked_after_many_failures(make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_ADDRESS_MAX_FAILURES", 3)
    user = make_user("420525", Role.REVIEWER)

    for number in range(3):
        _attempt(app, f"guess{number}", "wrong", address="198.51.100.7")
    blocked = _attempt(app, user.username, GOOD, address="198.51.100.7")
    elsewhere = _attempt(app, user.username, GOOD, address="198.51.100.8")

    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.get_data(as_text=True)
    assert elsewhere.status_code == 302


def test_unknown_user_name_fails_like_wrong_password(make_user, app):
    user = make_user("420525", Role.REVIEWER)

    unknown = _attempt(app, "nobody-here", GOOD)
    wrong = _attempt(app, user.username, "wrong password")

    assert "用户名或密码不正确" in unknown.get_data(as_text=True)
    assert "用户名或密码不正确" in wrong.get_data(as_text=True)
    failures = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "sign_in_failed")
    ).all()
    assert len(failures) == 2
    assert all("wrong" not in (event.detail or "") for event in failures)


@pytest.mark.parametrize(
    "payload",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example",
        "/%09/evil.example",
        "/%0a/evil.example",
        "%2F%5Cevil.example",
        "/%2F%2Fevil.example",
        " //evil.example",
        "//%09evil.example",
        "data:text/html,hi",
    ],
)
def test_next_payload_stays_on_site(make_user, app, payload):
    user = make_user("420525", Role.REVIEWER)

    response = _attempt(app, user.username, GOOD, next_url=payload)

    location = response.headers["Location"]
    assert response.status_code == 302
    assert location == "/"


def test_local_next_is_followed(make_user, app):
    user = make_user("420525", Role.REVIEWER)

    response = _attempt(app, user.username, GOOD, next_url="/registry?page=2")

    assert response.headers["Location"] == "/registry?page=2"


def test_session_is_renewed_at_sign_in(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = app.test_client()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "yes"
    before = client.get_cookie("session").value

    post_form(client, "/sign-in", data={"username": user.username, "password": GOOD})
    attacker = app.test_client()
    attacker.set_cookie("session", before)

    with client.session_transaction() as session:
        assert session["session_token"]
        assert "planted" not in session
    assert client.get_cookie("session").value != before
    assert attacker.get("/registry").status_code == 302


def test_cookies_are_secure_over_https(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    page = client.get("/sign-in", **https).get_data(as_text=True)

    response = client.post(
        "/sign-in",
        data={
            "username": user.username,
            "password": GOOD,
            "remember": "y",
            "csrf_token": csrf_token_from(page),
        },
        headers={"Referer": "https://localhost/sign-in"},
        **https,
    )

    cookies = response.headers.getlist("Set-Cookie")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(cookies) == 2
    for cookie in cookies:
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    assert "Strict-Transport-Security" in response.headers


def test_cookies_are_not_secure_over_plain_http(make_user, app):
    user = make_user("420525", Role.REVIEWER)

    response = _attempt(app, user.username, GOOD)

    assert "Secure" not in response.headers["Set-Cookie"]


def test_outdated_hash_is_replaced_at_sign_in(make_user, app):
    from werkzeug.security import generate_password_hash

    user = make_user("420525", Role.REVIEWER)
    user.password_hash = generate_password_hash(GOOD, method="pbkdf2:sha256:1000")
    db.session.commit()

    _attempt(app, user.username, GOOD)

    db.session.refresh(user)
    assert user.password_hash.startswith("scrypt:")
