"""Signed-in sessions in the browser: start, check on each request, end.

The Flask session cookie carries the token of a ``UserSession`` row. A
"remember me" sign-in also gets a long-lived cookie with the same token,
so after a browser restart, which drops the session cookie, the user is
signed back in on their first click. Each request checks the row before any view runs.
"""

import logging

from flask import (
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from workflow import clock, security_log, user_sessions
from workflow.extensions import db

logger = logging.getLogger(__name__)

SESSION_KEY = "session_token"
REMEMBER_COOKIE = "fudao_remember"
# Endpoints that answer scripts: they get JSON, not a redirect, and the
# status check does not count as activity.
JSON_ENDPOINTS = {"auth.session_status", "auth.keep_alive"}
QUIET_ENDPOINTS = {"auth.session_status"}
# Probes of the process supervisor and the proxy: no session, no database.
PROBE_ENDPOINTS = {"health.alive", "health.ready"}
# What a user who must replace a one-time password may still open.
PASSWORD_CHANGE_ENDPOINTS = {
    "auth.change_password",
    "auth.sign_out",
    "auth.session_status",
    "auth.keep_alive",
    "static",
}


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever served over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def start_session(user, remember):
    """Sign ``user`` in with a fresh session id; commit."""
    # A new session: nothing set before sign-in (by anyone who could plant
    # a session cookie) carries over, and a remembered sign-in of whoever
    # used this browser before ends instead of coming back after a restart.
    session.clear()
    previous = user_sessions.find(request.cookies.get(REMEMBER_COOKIE))
    if previous is not None:
        user_sessions.end(previous, "replaced")
    g.forget_remember = True
    token = user_sessions.start(
        user,
        remember=remember,
        address=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    security_log.record_event(
        security_log.SIGN_IN,
        user,
        subject=user,
        detail=_("记住登录") if remember else None,
        address=request.remote_addr,
    )
    db.session.commit()
    session[SESSION_KEY] = token
    login_user(user)
    if remember and current_app.config["REMEMBER_DAYS"] > 0:
        g.remember_token = token


def end_session(reason):
    """End the current session for ``reason`` and sign out; commit."""
    user_session = user_sessions.find(session.get(SESSION_KEY))
    if user_session is not None:
        user_sessions.end(user_session, reason)
        action = (
            security_log.SIGN_OUT
            if reason == "signed_out"
            else security_log.SESSION_EXPIRED
        )
        security_log.record_event(
            action,
            user_session.user,
            subject=user_session.user,
            detail=reason,
            address=request.remote_addr,
        )
        db.session.commit()
    logout_user()
    session.clear()
    g.forget_remember = True


def check_session():
    """Validate the request's session; return a response to send instead, or None."""
    # API requests authenticate with a bearer token and never use the session;
    # the probes respond without one.
    if (
        request.endpoint == "static"
        or request.endpoint in PROBE_ENDPOINTS
        or request.blueprint == "api"
    ):
        return None
    token = session.get(SESSION_KEY) or _restore_remembered()
    if token is None:
        if "_user_id" in session:
            session.clear()
        return None

    now = clock.wall_now()
    user_session = user_sessions.find(token)
    reason = (
        "missing"
        if user_session is None
        else user_sessions.end_reason(user_session, now)
    )
    if reason is None and session.get("_user_id") != str(user_session.user_id):
        reason = "mismatch"
    if reason is not None:
        return _expired(reason)

    g.user_session = user_session
    if request.endpoint not in QUIET_ENDPOINTS and user_sessions.touch(
        user_session, now
    ):
        db.session.commit()
    if (
        user_session.user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
    ):
        return redirect(url_for("auth.change_password", next=_next_path()))
    return None


def _restore_remembered():
    token = request.cookies.get(REMEMBER_COOKIE)
    user_session = user_sessions.find(token)
    if user_session is None or not user_session.remember:
        return None
    if user_sessions.end_reason(user_session, clock.wall_now()) is not None:
        g.forget_remember = True
        return None
    session.clear()
    session[SESSION_KEY] = token
    login_user(user_session.user, fresh=False)
    logger.info(
        "session %s of user %s restored from its remember cookie",
        user_session.id,
        user_session.user_id,
    )
    return token


def _expiry_message(reason):
    if reason == "idle":
        return _(
            "由于超过 %(minutes)s 分钟未操作，您已自动退出，请重新登录。",
            minutes=current_app.config["SESSION_IDLE_MINUTES"],
        )
    if reason == "disabled":
        return _("该账号已停用，请联系本部门名录库管理员。")
    if reason == "password_reset":
        return _("您的密码已被管理员重置，请使用新的临时密码登录。")
    return _("登录已失效，请重新登录。")


def _expired(reason):
    end_session(reason)
    # Flashed for scripts too: the page the script then loads shows it.
    flash(_expiry_message(reason), "warning")
    if request.endpoint in JSON_ENDPOINTS:
        return jsonify(signed_in=False, seconds_left=0)
    return redirect(url_for("auth.sign_in", next=_next_path()), code=303)


def _next_path():
    if request.method != "GET":
        return None
    return request.full_path.rstrip("?")


def set_remember_cookie(response):
    """Write or delete the remember cookie as the request decided."""
    secure = bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)
    token = g.get("remember_token")
    if g.get("forget_remember") and token is None:
        response.delete_cookie(
            REMEMBER_COOKIE, httponly=True, secure=secure, samesite="Lax"
        )
    if token is not None:
        response.set_cookie(
            REMEMBER_COOKIE,
            token,
            max_age=current_app.config["REMEMBER_DAYS"] * 86400,
            httponly=True,
            secure=secure,
            samesite="Lax",
        )
    return response


def init_app(app):
    """Install the session interface and the per-request hooks."""
    app.session_interface = SessionInterface()
    app.before_request(check_session)
    app.after_request(set_remember_cookie)
