"""Error pages, and turning workflow refusals into messages for the user."""

import logging

from flask import current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from workflow.errors import (
    DomainValidationError,
    InvalidTransition,
    NotPermitted,
    RecordNotFound,
    StaleDecision,
)

logger = logging.getLogger(__name__)


def not_found(error):
    return render_template("errors/404.html"), 404


def forbidden(error):
    return render_template("errors/403.html"), 403


def csrf_failed(error):
    logger.warning("CSRF check failed on %s: %s", request.path, error.description)
    return render_template("errors/csrf.html"), 400


def record_not_found(error):
    logger.info("record not found: %s", error)
    return not_found(error)


def refused(error):
    # Refusals go back to the page the user acted from, with the reason.
    logger.info("workflow refused: %s", error)
    flash(str(error.user_message), "danger")
    return redirect(_local_referrer() or "/", code=303)


def too_large(error):
    flash(
        _(
            "上传的文件超过大小上限 %(mb)s MB，请拆分后分批上传。",
            mb=current_app.config["IMPORT_MAX_FILE_BYTES"] // (1 << 20),
        ),
        "danger",
    )
    return redirect(_local_referrer() or "/", code=303)


def _local_referrer():
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return referrer
    return None


def init_app(app):
    """Register the handlers on ``app``."""
    app.register_error_handler(404, not_found)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(413, too_large)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(RecordNotFound, record_not_found)
    for error_class in (
        NotPermitted,
        InvalidTransition,
        StaleDecision,
        DomainValidationError,
    ):
        app.register_error_handler(error_class, refused)
