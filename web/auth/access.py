"""View decorators that check a user's roles before a view runs."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from workflow.roles import STAFF_ROLES


def roles_required(*roles):
    """Let signed-in users holding one of ``roles`` through; others get 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def checked(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate


staff_required = roles_required(*STAFF_ROLES)
