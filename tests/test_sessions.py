"""Idle timeout, its warning, remember-me across restarts, and sign-out."""

from datetime import timedelta

from sqlalchemy import select

from tests.helpers import post_form
from workflow import clock
from workflow.extensions import db
from workflow.models import Role, SecurityEvent, UserSession

GOOD = "correct horse battery"


def _sign_in(app, user, remember=False):
    client = app.test_client()
    data = {"username": user.username, "password": GOOD}
    if remember:
        data["remember"] = "y"
    response = post_form(client, "/sign-in", data=data)
    assert response.status_code == 302
    return client


def _idle_for(user, minutes):
    user_session = db.session.scalar(
        select(UserSession).where(UserSession.user_id == user.id)
    )
    user_session.last_seen_at = clock.wall_now() - timedelta(minutes=minutes)
    db.session.commit()
    return user_session


def _restart_browser(client):
    # A browser restart drops cookies without an expiry, such as the session.
    client.delete_cookie("session")


def test_idle_session_ends_after_thirty_minutes(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    user_session = _idle_for(user, 31)

    response = client.get("/registry")
    sign_in_page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.refresh(user_session)
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in?next=/registry"
    assert "超过 30 分钟未操作" in sign_in_page
    assert user_session.end_reason == "idle"
    assert client.get("/registry").status_code == 302


def test_activity_within_timeout_keeps_session(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    user_session = _idle_for(user, 29)

    response = client.get("/registry")

    db.session.refresh(user_session)
    assert response.status_code == 200
    assert clock.wall_now() - user_session.last_seen_at < timedelta(minutes=1)


def test_idle_timeout_follows_setting(make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 10)
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    _idle_for(user, 11)

    response = client.get("/registry")

    assert response.status_code == 303


def test_status_check_does_not_count_as_activity(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    _idle_for(user, 28)

    status = client.get("/session/status").get_json()

    assert status["signed_in"] is True
    assert 60 <= status["seconds_left"] <= 120
    user_session = db.session.scalar(select(UserSession))
    assert clock.wall_now() - user_session.last_seen_at > timedelta(minutes=27)


def test_keep_alive_restarts_the_timeout(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    _idle_for(user, 28)
    token = client.get("/").get_data(as_text=True)
    _idle_for(user, 28)
    csrf = token.split('name="csrf-token" content="')[1].split('"')[0]

    status = client.post("/session/keep-alive", headers={"X-CSRFToken": csrf})

    assert status.get_json()["seconds_left"] > 29 * 60


def test_expired_status_check_says_signed_out(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    _idle_for(user, 45)

    status = client.get("/session/status")

    assert status.status_code == 200
    assert status.get_json() == {"signed_in": False, "seconds_left": 0}


def test_page_loads_warning_script(make_user, app):
    user = make_user("420525", Role.REVIEWER)

    page = _sign_in(app, user).get("/").get_data(as_text=True)

    assert 'src="/static/js/session-timeout.js"' in page
    assert 'data-session-warning="120"' in page
    assert 'id="idle-warning"' in page


def test_remembered_session_survives_browser_restart(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user, remember=True)
    _restart_browser(client)

    first = client.get("/registry")
    second = client.get("/")
    third = client.get("/registry")

    assert first.status_code == 200
    assert second.status_code == 200
    assert third.status_code == 200


def test_remembered_session_outlasts_idle_timeout(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user, remember=True)
    _idle_for(user, 12 * 60)
    _restart_browser(client)

    first = client.get("/registry")
    next_click = client.get("/")

    assert first.status_code == 200
    assert next_click.status_code == 200
    assert "session-timeout.js" not in next_click.get_data(as_text=True)


def test_remembered_session_expires_after_its_days(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user, remember=True)
    user_session = db.session.scalar(select(UserSession))
    user_session.expires_at = clock.wall_now() - timedelta(minutes=1)
    db.session.commit()
    _restart_browser(client)

    response = client.get("/registry")

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_without_remember_restart_signs_out(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user)
    _restart_browser(client)

    response = client.get("/registry")

    assert response.status_code == 302


def test_sign_out_ends_remembered_session(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, user, remember=True)
    page = client.get("/").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]

    client.post("/sign-out", data={"csrf_token": csrf})
    _restart_browser(client)
    response = client.get("/registry")

    assert response.status_code == 302
    assert client.get_cookie("fudao_remember") is None
    user_session = db.session.scalar(select(UserSession))
    assert user_session.end_reason == "signed_out"
    actions = db.session.scalars(
        select(SecurityEvent.action).order_by(SecurityEvent.id)
    ).all()
    assert actions == ["sign_in", "sign_out"]


def test_remember_me_can_be_turned_off(make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "REMEMBER_DAYS", 0)
    user = make_user("420525", Role.REVIEWER)

    page = app.test_client().get("/sign-in").get_data(as_text=True)
    client = _sign_in(app, user, remember=True)

    assert 'name="remember"' not in page
    assert client.get_cookie("fudao_remember") is None


def test_next_sign_in_ends_previous_remembered_session(make_user, app):
    first = make_user("420525", Role.REVIEWER)
    second = make_user("420525", Role.REVIEWER)
    client = _sign_in(app, first, remember=True)
    page = client.get("/").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post("/sign-out", data={"csrf_token": csrf})
    client.set_cookie("fudao_remember", "stale-token-of-nobody")

    post_form(client, "/sign-in", data={"username": second.username, "password": GOOD})
    _restart_browser(client)
    response = client.get("/registry")

    assert response.status_code == 302
    assert client.get_cookie("fudao_remember") is None
