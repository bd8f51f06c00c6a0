"""JSON error responses of the API: a machine code and a Chinese message.

Every refusal has the body ``{"error": {"code", "message", "details"}}``.
Scripts branch on ``code``, which does not change between versions, and
show ``message`` to people. ``details`` lists the fields of a request body
or query that failed, each with its own code and message.
"""

import json
import logging
import math
import time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflow.extensions import limiter

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal to send as a JSON error with ``status``, ``code`` and message."""

    def __init__(self, status, code, message, details=(), headers=None):
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details)
        self.headers = headers or {}


def json_response(body, status=200, headers=None):
    """Return ``body`` as JSON with Chinese text left readable, not escaped."""
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers.update(headers or {})
    return response


def error_response(status, code, message, details=(), headers=None):
    """Return the JSON error response."""
    body = {"error": {"code": code, "message": str(message), "details": details}}
    return json_response(body, status, headers)


def api_error(error):
    """Turn an ``ApiError`` into its response."""
    return error_response(
        error.status, error.code, error.message, error.details, error.headers
    )


# Messages of pydantic's error types, keyed by the type; ``{...}`` names a
# value from the error's context.
VALIDATION_MESSAGES = {
    "missing": _l("缺少必填字段。"),
    "extra_forbidden": _l("不接受该字段，请对照接口文档删除。"),
    "int_type": _l("应为整数。"),
    "int_parsing": _l("应为整数。"),
    "int_from_float": _l("应为整数。"),
    "string_type": _l("应为字符串。"),
    "bool_type": _l("应为布尔值 true 或 false。"),
    "bool_parsing": _l("应为布尔值 true 或 false。"),
    "list_type": _l("应为数组。"),
    "dict_type": _l("应为 JSON 对象。"),
    "model_type": _l("应为 JSON 对象。"),
    "model_attributes_type": _l("应为 JSON 对象。"),
    "string_too_short": _l("至少应有 {min_length} 个字符。"),
    "string_too_long": _l("不能超过 {max_length} 个字符。"),
    "too_short": _l("至少应有 {min_length} 项。"),
    "too_long": _l("最多 {max_length} 项。"),
    "greater_than_equal": _l("不能小于 {ge}。"),
    "less_than_equal": _l("不能大于 {le}。"),
    "enum": _l("只能是以下之一：{expected}。"),
    "literal_error": _l("只能是以下之一：{expected}。"),
    "string_pattern_mismatch": _l("格式不正确。"),
    "date_type": _l("应为日期，格式为 YYYY-MM-DD。"),
    "date_parsing": _l("应为日期，格式为 YYYY-MM-DD。"),
    "date_from_datetime_parsing": _l("应为日期，格式为 YYYY-MM-DD。"),
    "date_from_datetime_inexact": _l("应为日期，格式为 YYYY-MM-DD。"),
    "datetime_type": _l("应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS。"),
    "datetime_parsing": _l("应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS。"),
    "datetime_from_date_parsing": _l("应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS。"),
}
DEFAULT_VALIDATION_MESSAGE = _l("取值无效。")


def validation_details(validation_error, location):
    """Return the details of a pydantic ``ValidationError``, one per field."""
    details = []
    for item in validation_error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"])
        details.append(
            {
                "field": f"{location}.{field}" if field else location,
                "code": item["type"],
                "message": _validation_message(item),
            }
        )
    return details


def _validation_message(item):
    template = str(VALIDATION_MESSAGES.get(item["type"], DEFAULT_VALIDATION_MESSAGE))
    context = {key: str(value) for key, value in (item.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return str(DEFAULT_VALIDATION_MESSAGE)


def invalid_request(details):
    """Return the ``ApiError`` of a body or query that failed validation."""
    return ApiError(
        422, "invalid_request", _l("请求内容未通过校验，请按 details 修改。"), details
    )


# HTTP errors raised by Flask, Werkzeug or an extension, with their codes.
HTTP_ERRORS = {
    400: ("bad_request", _l("请求格式不正确。")),
    401: ("unauthenticated", _l("缺少有效的 API 令牌。")),
    403: ("forbidden", _l("您没有执行此操作的权限。")),
    404: ("not_found", _l("记录不存在，或不在您的辖区内。")),
    405: ("method_not_allowed", _l("该地址不支持此请求方法。")),
    413: ("body_too_large", _l("请求体过大。")),
    415: (
        "unsupported_media_type",
        _l("请求体应为 JSON（Content-Type: application/json）。"),
    ),
    429: ("rate_limited", _l("请求过于频繁，请稍后再试。")),
    500: ("server_error", _l("处理请求时出错，已记录日志。请稍后重试或联系管理员。")),
}


def http_error(error):
    """Return the JSON response of an HTTP error raised outside the API views."""
    status = getattr(error, "code", None) or 500
    code, message = HTTP_ERRORS.get(status, ("http_error", _l("请求未能完成。")))
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(_seconds_until_reset())
        logger.warning("API rate limit exceeded: %s", getattr(error, "description", ""))
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, code, message, headers=headers)


def _seconds_until_reset():
    limit = limiter.current_limit
    if limit is None:
        return 60
    return max(1, math.ceil(limit.reset_at - time.time()))


def unauthenticated(message=None):
    """Return the 401 ``ApiError`` with the ``WWW-Authenticate: Bearer`` header."""
    return ApiError(
        401,
        "unauthenticated",
        message or _("缺少有效的 API 令牌。"),
        headers={"WWW-Authenticate": 'Bearer realm="fudao"'},
    )
