"""API authentication, request checks, error bodies and rate limits."""

from datetime import timedelta

import pytest

from tests.helpers import api_error, nomination_values
from workflow import api_tokens, clock
from workflow.extensions import db
from workflow.models import Role


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-token",
        "Bearer fudao_0123456789ab_" + "a" * 43,
    ],
)
def test_request_without_valid_token_is_401(api, app_context, header):
    headers = {"Authorization": header} if header else {}

    response = api.get("/api/v1/counselors", headers=headers)

    assert response.status_code == 401
    assert api_error(response)["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.content_type == "application/json"


def test_revoked_token_is_401_at_once(api, make_token):
    token, headers = make_token("420525", Role.REVIEWER)
    assert api.get("/api/v1/counselors", headers=headers).status_code == 200

    api_tokens.revoke_token(token.created_by, token.id)

    assert api.get("/api/v1/counselors", headers=headers).status_code == 401


def test_expired_token_is_401(api, make_token):
    token, headers = make_token(
        "420525", Role.REVIEWER, expires_at=clock.wall_now() + timedelta(hours=1)
    )
    token.expires_at = clock.wall_now() - timedelta(minutes=1)
    db.session.commit()

    response = api.get("/api/v1/counselors", headers=headers)

    assert response.status_code == 401
    assert "过期" in api_error(response)["message"]


def test_session_cookie_does_not_authenticate(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)

    response = client.get("/api/v1/counselors")

    assert response.status_code == 401


def test_api_response_sets_no_cookie(api, make_token):
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.get("/api/v1/counselors", headers=headers)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_post_needs_no_csrf_token(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post("/api/v1/counselors", json=nomination_values(), headers=headers)

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{not json", "application/json", 400, "invalid_json"),
        (b"", "application/json", 400, "invalid_json"),
        (b"[1, 2]", "application/json", 400, "body_not_object"),
        (b"name=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b'{"a": 1}', "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bad_body_is_refused(api, make_token, body, content_type, status, code):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(
        "/api/v1/counselors",
        data=body,
        headers={**headers, "Content-Type": content_type},
    )

    assert response.status_code == status
    assert api_error(response)["code"] == code


def test_oversize_body_is_413(api, app, make_token, monkeypatch):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    monkeypatch.setitem(app.config, "API_MAX_BODY_BYTES", 1024)

    response = api.post(
        "/api/v1/counselors", json={"name": "x" * 2000}, headers=headers
    )

    assert response.status_code == 413
    assert api_error(response)["code"] == "body_too_large"
    assert "1 KB" in api_error(response)["message"]


def test_unknown_path_and_method_get_json(api, make_token):
    _token, headers = make_token("420525", Role.REVIEWER)

    missing = api.get("/api/v1/nothing-here", headers=headers)
    wrong_method = api.delete("/api/v1/counselors", headers=headers)

    assert missing.status_code == 404
    assert api_error(missing)["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert api_error(wrong_method)["code"] == "method_not_allowed"


def test_rate_limit_is_per_token(api, app, make_token, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    _first, first_headers = make_token("420525", Role.REVIEWER)
    _second, second_headers = make_token("420525", Role.REVIEWER, name="第二个")

    statuses = [
        api.get("/api/v1/counselors", headers=first_headers).status_code
        for _ in range(4)
    ]
    refused = api.get("/api/v1/counselors", headers=first_headers)
    other = api.get("/api/v1/counselors", headers=second_headers)

    assert statuses == [200, 200, 200, 429]
    assert api_error(refused)["code"] == "rate_limited"
    # The window is one minute; the wait is rounded up to whole seconds.
    assert 0 < int(refused.headers["Retry-After"]) <= 61
    assert other.status_code == 200


def test_openapi_document_matches_routes(api, app):
    response = api.get("/api/v1/openapi.json")

    document = response.get_json()
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    routed = {
        (rule.rule.replace("<int:record_id>", "{record_id}"), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.endpoint not in ("api.openapi", "api.docs")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert documented == routed
    assert "bearer" in document["components"]["securitySchemes"]


def test_docs_page_lists_every_operation(api):
    document = api.get("/api/v1/openapi.json").get_json()

    response = api.get("/api/v1/docs")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in html
    assert "service_area_codes" in html
    # Nothing is loaded from another host.
    assert "http://" not in html
    assert "https://" not in html
