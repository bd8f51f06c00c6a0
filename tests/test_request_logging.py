"""Request ids, the per-request log line and the JSON log format."""

import io
import json
import logging

import pytest

from web.request_logging import make_handler, request_id_from
from workflow.models import Role


@pytest.fixture
def json_lines():
    """Capture every log line as JSON while the test runs; return a reader."""
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    "header",
    ["", "bad id", "line\nbreak", "x" * 129, "ünïcode"],
)
def test_insane_request_id_is_replaced(header):
    request_id = request_id_from(header)

    assert request_id != header
    assert len(request_id) == 32


def test_proxy_request_id_is_kept(app, app_context):
    response = app.test_client().get(
        "/healthz", headers={"X-Request-ID": "0f3a9c1e2b7d4a5f8e6c1b2a3d4e5f60"}
    )

    assert response.headers["X-Request-ID"] == "0f3a9c1e2b7d4a5f8e6c1b2a3d4e5f60"


def test_request_id_generated_without_header(app, app_context):
    first = app.test_client().get("/healthz").headers["X-Request-ID"]
    second = app.test_client().get("/healthz").headers["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_json_lines_carry_request_fields(app, make_user, sign_in, json_lines):
    reviewer = make_user("420525", Role.REVIEWER)
    client = sign_in(reviewer)

    response = client.get("/counselors/987654", headers={"X-Request-ID": "req-42"})

    assert response.status_code == 404
    lines = [line for line in json_lines() if line.get("request_id") == "req-42"]
    assert [line["logger"] for line in lines] == [
        "web.errors",
        "web.request_logging",
    ]
    finished = lines[-1]
    assert finished["status"] == 404
    assert finished["duration_ms"] >= 0
    assert finished["method"] == "GET"
    assert finished["path"] == "/counselors/987654"
    assert finished["user_id"] == reviewer.id
    assert finished["level"] == "INFO"
    assert finished["time"].endswith("+00:00")


def test_json_line_outside_request(json_lines):
    logging.getLogger("fudao.test").warning("scheduler %s started", "host-1")

    (line,) = json_lines()
    assert line["message"] == "scheduler host-1 started"
    assert line["level"] == "WARNING"
    assert "request_id" not in line


def test_json_line_keeps_exception(json_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("fudao.test").exception("job failed")

    (line,) = json_lines()
    assert "ValueError: boom" in line["exception"]


def test_unknown_log_format_is_rejected():
    with pytest.raises(ValueError, match="FUDAO_LOG_FORMAT must be text or json"):
        make_handler("xml")
