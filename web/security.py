"""Flask-Login settings and the HTTP headers every response carries."""

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from web.auth import sessions
from workflow.extensions import db, login_manager
from workflow.models.user import User

# No inline scripts or styles, and nothing from other hosts: every asset
# ships with the product, which also keeps it usable on offline networks.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


@login_manager.user_loader
def load_user(user_id):
    """Return the enabled user with ``user_id``, or None."""
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.is_enabled else None


def set_security_headers(response):
    """Add the CSP, framing, sniffing, caching and HTTPS headers to ``response``."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
    )
    # Pages carry personal data; a shared office computer's browser cache
    # must not keep them. Static files keep their normal caching.
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def init_app(app):
    """Configure Flask-Login and the response headers."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    # Sessions are checked against the server-side UserSession on every
    # request (web/auth/sessions.py). Flask-Login's "strong" protection
    # would also sign a user out whenever their address changes, which
    # happens to reviewers on mobile networks and behind office proxies.
    login_manager.session_protection = None
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    sessions.init_app(app)
    app.after_request(set_security_headers)
