"""Re-showing a form whose CSRF token expired, with what the user typed.

A page left open past ``WTF_CSRF_TIME_LIMIT`` (or across a restart that
dropped the session) fails the CSRF check on submit. For views marked with
``keeps_input_on_csrf_error`` the view runs again on the same form data:
its form fails validation on the stale token, so nothing is saved, and the
page comes back filled in with a fresh token and a message. Only requests
whose Origin or Referer is this site get this; anything else gets the
plain error page, so another site cannot pre-fill a form for the user.
"""

import logging

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from workflow.errors import RecordNotFound

logger = logging.getLogger(__name__)


def keeps_input_on_csrf_error(view):
    """Mark ``view`` as one that re-shows its form after a CSRF failure."""
    view.keeps_input_on_csrf_error = True
    return view


def _is_same_origin():
    site = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin:
        return origin.rstrip("/") == site
    referrer = request.referrer or ""
    return referrer == site or referrer.startswith(site + "/")


def csrf_failed(error):
    """Re-show the submitted form where that is safe, else the error page."""
    from web.auth.sessions import check_session

    logger.warning("CSRF check failed on %s: %s", request.path, error.description)
    view = current_app.view_functions.get(request.endpoint)
    if (
        request.method != "POST"
        or not getattr(view, "keeps_input_on_csrf_error", False)
        or not _is_same_origin()
    ):
        return render_template("errors/csrf.html"), 400
    # The CSRF check runs before the session check, so run it here first.
    response = check_session()
    if response is not None:
        return response
    flash(
        _("页面停留时间过长，安全校验已失效。您填写的内容已保留，请核对后重新提交。"),
        "warning",
    )
    try:
        return view(**(request.view_args or {}))
    except RecordNotFound:
        return render_template("errors/404.html"), 404
    except HTTPException as http_error:
        return http_error
