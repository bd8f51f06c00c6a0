"""The API blueprint, its OpenAPI spec, and the checks every request passes.

Before its view runs, each request is counted against its token's rate
limit (setting ``API_RATE_LIMIT``). It must present a bearer token that is
known, not revoked and not expired. A body must be one JSON object of at
most ``API_MAX_BODY_BYTES``. API requests never read or write the session
cookie and are exempt from CSRF checks, because a browser never adds a
bearer token to a request on its own.
"""

import logging

from flask import Blueprint, current_app, g, request
from flask_babel import lazy_gettext as _l
from spectree import SecurityScheme, SecuritySchemeData, SpecTree

from web.api import errors
from web.api.errors import ApiError
from web.api.schemas import ErrorBody
from workflow import api_tokens
from workflow.errors import (
    ConcurrentWrite,
    DomainValidationError,
    DuplicateActiveRecord,
    InvalidTransition,
    NotPermitted,
    RecordNotFound,
    StaleDecision,
    WorkflowError,
)
from workflow.extensions import csrf, limiter

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Routes any client may read without a token.
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.docs"})

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)


def _reject_invalid(request, response, validation_error, instance, *args):
    # spectree calls this after validating the query and body. Raising
    # here replaces spectree's error body with the API's.
    if validation_error is None:
        return
    location = "query" if validation_error.title.endswith("Query") else "body"
    raise errors.invalid_request(errors.validation_details(validation_error, location))


spec = SpecTree(
    "flask",
    mode="strict",
    title="Fudao API",
    description="辅导员名录库数据接口（JSON）。",
    version="1",
    page_templates={},
    validation_error_status=422,
    validation_error_model=ErrorBody,
    before=_reject_invalid,
    security_schemes=[
        SecurityScheme(
            name="bearer",
            data=SecuritySchemeData(type="http", scheme="bearer"),
        )
    ],
    security={"bearer": []},
)


def _rate_limit():
    return current_app.config["API_RATE_LIMIT"]


def _rate_limit_key():
    # Counted per token, by its public prefix, before the token is looked up:
    # a flood of requests costs no database query. Requests without a
    # well-formed token share the client address's budget.
    prefix = api_tokens.prefix_of(_bearer_text())
    if prefix is not None:
        return f"token:{prefix}"
    return f"address:{request.remote_addr}"


def _bearer_text():
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


@blueprint.before_request
def authenticate():
    """Bind the request to its token and the token's account, or refuse it."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    text = _bearer_text()
    if not text:
        raise errors.unauthenticated(
            _l("请在 Authorization 头中以 Bearer 方式提供 API 令牌。")
        )
    token = api_tokens.authenticate(text)
    if token is None:
        raise errors.unauthenticated(_l("API 令牌无效、已吊销或已过期。"))
    g.api_token = token
    g.api_user = token.user


@blueprint.before_request
def check_body():
    """Refuse a body that is too large, not JSON, or not one JSON object."""
    if request.method not in BODY_METHODS:
        return
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise _body_too_large(limit)
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            _l("请求体应为 JSON，并设置 Content-Type: application/json。"),
        )
    # Bounds a chunked body that carries no Content-Length.
    request.max_content_length = limit
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid_json", _l("请求体不是有效的 JSON（UTF-8）。"))
    if not isinstance(body, dict):
        raise ApiError(400, "body_not_object", _l("请求体应为一个 JSON 对象。"))


def _body_too_large(limit):
    return ApiError(
        413,
        "body_too_large",
        _l("请求体超过上限 %(kb)s KB，请分批提交。", kb=limit // 1024),
    )


def current_actor():
    """Return the account the request's token acts as."""
    return g.api_user


# Workflow refusals, as the web pages give them: a record outside the
# jurisdiction is "not found", a record seen but not acted on "forbidden".
WORKFLOW_ERRORS = (
    (RecordNotFound, 404, "not_found"),
    (NotPermitted, 403, "forbidden"),
    (DuplicateActiveRecord, 409, "duplicate_record"),
    (ConcurrentWrite, 409, "concurrent_write"),
    (StaleDecision, 409, "stale_version"),
    (InvalidTransition, 409, "invalid_transition"),
)


def _workflow_error(error):
    logger.info("API request rejected: %s", error)
    if isinstance(error, DomainValidationError):
        detail = {
            "field": f"body.{error.field}",
            "code": "invalid_value",
            "message": str(error.user_message),
        }
        return errors.error_response(422, "invalid_value", error.user_message, [detail])
    for error_class, status, code in WORKFLOW_ERRORS:
        if isinstance(error, error_class):
            return errors.error_response(status, code, error.user_message)
    return errors.error_response(409, "rejected", error.user_message)


def _http_error(error):
    if error.code == 413:
        return errors.api_error(
            _body_too_large(current_app.config["API_MAX_BODY_BYTES"])
        )
    return errors.http_error(error)


def _server_error(error):
    # Flask has logged the traceback before this handler runs.
    return errors.http_error(error)


# Registered once at import: a blueprint cannot change after it is
# registered on an app, and the tests build many apps.
csrf.exempt(blueprint)
blueprint.register_error_handler(ApiError, errors.api_error)
blueprint.register_error_handler(WorkflowError, _workflow_error)
for _status in errors.HTTP_ERRORS:
    blueprint.register_error_handler(
        _status, _server_error if _status == 500 else _http_error
    )
limiter.shared_limit(_rate_limit, scope="api", key_func=_rate_limit_key)(blueprint)


def is_api_request():
    """Return whether the current request addresses the API."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")
