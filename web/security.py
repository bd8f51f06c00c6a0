"""Sign-in sessions and the HTTP headers every response carries."""

from flask_babel import lazy_gettext as _l

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
    """Add the CSP, framing and sniffing headers to ``response``."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app):
    """Configure Flask-Login and the response headers."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    app.after_request(set_security_headers)
