"""Log lines that name their request: request ids, the per-request line, JSON.

Every request gets an id: the proxy's ``X-Request-ID`` when it looks like
one (nginx sends ``$request_id``, 32 hex digits), else a fresh one. The id
goes back in the response header and into every log line written while
the request runs, with the user, method and path, so one grep finds all
of a request's lines across the proxy and the app. Each request ends with
one line that adds its status and duration.

``LOG_FORMAT`` chooses the output: ``text`` (readable, for development) or
``json`` (one object per line, for journald and log collectors).
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and ``._-`` only, so an id cannot forge a log line or a
# header; anything else from the client is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Probes arrive every few seconds; their lines are kept out of INFO.
QUIET_ENDPOINTS = {"health.alive", "health.ready"}
CONTEXT_FIELDS = ("request_id", "user_id", "method", "path")
# Attributes every LogRecord has or the filter adds; anything else was
# passed in ``extra``.
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_RECORD_FIELDS |= set(CONTEXT_FIELDS)


def request_id_from(header_value):
    """Return ``header_value`` if it is a sane request id, else a new id."""
    if header_value and SANE_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestContextFilter(logging.Filter):
    """Add the request id, user id, method and path to every record."""

    def filter(self, record):
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            record.user_id = getattr(g.get("_login_user"), "id", None)
            record.method = request.method
            record.path = request.path
        else:
            record.request_id = "-"
            record.user_id = record.method = record.path = None
        return True


class JsonFormatter(logging.Formatter):
    """Format each record as one JSON object on one line."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, "-"):
                entry[field] = value
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(log_format, stream=None):
    """Return a stream handler writing ``log_format`` (text or json) lines."""
    if log_format not in ("text", "json"):
        raise ValueError(
            f"FUDAO_LOG_FORMAT must be text or json, got {log_format!r}; "
            "unset it to use text."
        )
    handler = logging.StreamHandler(stream)
    formatter = JsonFormatter() if log_format == "json" else None
    handler.setFormatter(formatter or logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestContextFilter())
    return handler


def start_request():
    """Give the request its id and note when it started."""
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def finish_request(response):
    """Return the request id in ``response`` and log the request's line."""
    request_id = g.get("request_id")
    if request_id is None:
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    duration_ms = round((time.perf_counter() - g.request_started) * 1000, 1)
    level = logging.DEBUG if request.endpoint in QUIET_ENDPOINTS else logging.INFO
    logger.log(
        level,
        "%s %s %s %.1f ms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={"status": response.status_code, "duration_ms": duration_ms},
    )
    return response


def init_app(app):
    """Install the log handler unless one exists, and the request hooks.

    A process that configured logging itself (gunicorn's ``logconfig_dict``,
    pytest) keeps its handlers. The hooks are installed first so that every
    later hook logs with the request id.
    """
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(make_handler(app.config["LOG_FORMAT"]))
        root.setLevel(app.config["LOG_LEVEL"])
    app.before_request(start_request)
    app.after_request(finish_request)
