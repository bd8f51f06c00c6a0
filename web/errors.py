"""Error pages, and turning workflow refusals into messages for the user."""

import logging

from flask import current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from web.api import errors as api_errors
from web.api.blueprint import is_api_request
from web.csrf import csrf_failed
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


def too_many_requests(error):
    logger.warning("rate limit exceeded on %s: %s", request.path, error.description)
    return render_template("errors/429.html"), 429


def too_large(error):
    # The body was rejected before it was read, so the form is lost. The
    # message goes back to the page the user came from.
    if request.blueprint == "imports":
        limit = current_app.config["IMPORT_MAX_FILE_BYTES"] // (1024 * 1024)
        message = _("上传的文件超过大小上限 %(mb)s MB，请拆分后分批上传。", mb=limit)
    else:
        limit = current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)
        message = _("上传的文件过大，单个文件不能超过 %(mb)s MB。", mb=limit)
    flash(message, "danger")
    return redirect(_local_referrer() or "/", code=303)


def record_not_found(error):
    logger.info("record not found: %s", error)
    return not_found(error)


def refused(error):
    # Refusals go back to the page the user acted from, with the reason.
    logger.info("workflow refused: %s", error)
    flash(str(error.user_message), "danger")
    return redirect(_local_referrer() or "/", code=303)


def _local_referrer():
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return referrer
    return None


def bad_request(error):
    return _generic(
        400, _("请求无效"), _("提交的内容不完整或格式不正确，请返回上一页重试。")
    )


def method_not_allowed(error):
    return _generic(
        405, _("操作方式不正确"), _("该页面不支持此操作，请从页面上的按钮进入。")
    )


def server_error(error):
    # The traceback is logged by Flask before this handler runs.
    return _generic(
        500, _("系统出错"), _("处理请求时出错，已记录日志。请稍后重试或联系管理员。")
    )


def _generic(status, title, message):
    return render_template("errors/generic.html", title=title, message=message), status


def _json_for_api(handler):
    # An address under /api/ that no API route matched, or matched with
    # the wrong method, has no blueprint, so the API's handlers never see
    # it; scripts still get JSON.
    def handle(error):
        if is_api_request():
            return api_errors.http_error(error)
        return handler(error)

    return handle


def init_app(app):
    """Register the handlers on ``app``."""
    app.register_error_handler(400, _json_for_api(bad_request))
    app.register_error_handler(405, _json_for_api(method_not_allowed))
    app.register_error_handler(500, _json_for_api(server_error))
    app.register_error_handler(404, _json_for_api(not_found))
    app.register_error_handler(403, forbidden)
    app.register_error_handler(413, _json_for_api(too_large))
    app.register_error_handler(429, too_many_requests)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(RecordNotFound, record_not_found)
    for error_class in (
        NotPermitted,
        InvalidTransition,
        StaleDecision,
        DomainValidationError,
    ):
        app.register_error_handler(error_class, refused)
