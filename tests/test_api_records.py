"""API reads of counselors and service centers, and nominations."""

import pytest
from sqlalchemy import select

from tests.helpers import api_error, application_values, nomination_values
from workflow import service_centers
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role, SecurityEvent
from workflow.states.counselor import CounselorState


def test_list_shows_jurisdiction_masked(api, make_token, nominate_counselor):
    own = nominate_counselor("420525")
    nominate_counselor("420526")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.get("/api/v1/counselors", headers=headers)

    body = response.get_json()
    assert response.status_code == 200
    assert [item["id"] for item in body["items"]] == [own.id]
    assert (
        body["items"][0]["id_number"]
        == f"{own.id_number[:6]}********" + (own.id_number[-4:])
    )
    assert body["items"][0]["mobile"] == f"{own.mobile[:3]}****{own.mobile[-4:]}"
    assert body["paging"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}


def test_city_lists_both_counties_and_filters(api, make_token, nominate_counselor):
    yuan_an = nominate_counselor("420525", "under_review")
    xing_shan = nominate_counselor("420526")
    _token, headers = make_token("420500", Role.REVIEWER)

    everything = api.get("/api/v1/counselors", headers=headers).get_json()
    by_state = api.get(
        "/api/v1/counselors?state=under_review", headers=headers
    ).get_json()
    by_county = api.get(
        "/api/v1/counselors?department=420526", headers=headers
    ).get_json()
    by_id = api.get(
        f"/api/v1/counselors?search={xing_shan.id_number[:10]}", headers=headers
    ).get_json()

    assert {item["id"] for item in everything["items"]} == {yuan_an.id, xing_shan.id}
    assert [item["id"] for item in by_state["items"]] == [yuan_an.id]
    assert [item["id"] for item in by_county["items"]] == [xing_shan.id]
    assert [item["id"] for item in by_id["items"]] == [xing_shan.id]


def test_list_pages(api, make_token, nominate_counselor):
    for _ in range(3):
        nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)

    second = api.get("/api/v1/counselors?per_page=2&page=2", headers=headers)

    body = second.get_json()
    assert len(body["items"]) == 1
    assert body["paging"] == {"page": 2, "per_page": 2, "total": 3, "pages": 2}


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("per_page=101", "query.per_page", "less_than_equal"),
        ("per_page=0", "query.per_page", "greater_than_equal"),
        ("page=x", "query.page", "int_parsing"),
        ("state=bogus", "query.state", "enum"),
        ("department=42", "query.department", "string_pattern_mismatch"),
        ("colour=red", "query.colour", "extra_forbidden"),
    ],
)
def test_bad_query_is_422_with_field(api, make_token, query, field, code):
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.get(f"/api/v1/counselors?{query}", headers=headers)

    error = api_error(response)
    assert response.status_code == 422
    assert error["code"] == "invalid_request"
    assert error["details"][0]["field"] == field
    assert error["details"][0]["code"] == code
    assert error["details"][0]["message"]


def test_sibling_department_filter_is_404(api, make_token):
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.get("/api/v1/counselors?department=420526", headers=headers)

    assert response.status_code == 404


def test_sibling_record_is_404(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420526", Role.REVIEWER)

    response = api.get(f"/api/v1/counselors/{record.id}", headers=headers)

    assert response.status_code == 404
    assert api_error(response)["code"] == "not_found"


def test_parent_reads_record_masked(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420500", Role.SUPERVISOR)

    response = api.get(f"/api/v1/counselors/{record.id}", headers=headers)

    body = response.get_json()
    assert response.status_code == 200
    assert body["name"] == record.name
    assert body["personal_data_masked"] is True
    assert record.id_number not in response.get_data(as_text=True)


def test_full_personal_data_is_logged(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    token, headers = make_token("420525", Role.REVIEWER)

    response = api.get(
        f"/api/v1/counselors/{record.id}?full_personal_data=true", headers=headers
    )

    assert response.get_json()["id_number"] == record.id_number
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "id_number_viewed")
    ).one()
    assert event.actor_id == token.user_id
    assert event.subject_id == record.id


def test_full_personal_data_needs_role(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.SUPERVISOR)

    response = api.get(
        f"/api/v1/counselors/{record.id}?full_personal_data=true", headers=headers
    )

    assert response.status_code == 403
    assert api_error(response)["code"] == "forbidden"


def test_nomination_is_created_and_audited(api, make_token, frozen_clock):
    token, headers = make_token("420525", Role.REGISTRY_ADMIN, name="县级同步脚本")

    response = api.post(
        "/api/v1/counselors",
        json=nomination_values(id_number="420525198503150027 "),
        headers=headers,
    )

    body = response.get_json()
    record = db.session.get(Counselor, body["id"])
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_id == record.id)
    ).one()
    assert response.status_code == 201
    assert body["state"] == "nominated"
    assert record.id_number == "420525198503150027"
    assert event.actor_id == token.user_id
    assert "县级同步脚本" in event.actor.display_name


def test_nomination_draft(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(
        "/api/v1/counselors",
        json={**nomination_values(), "submit": False},
        headers=headers,
    )

    assert response.get_json()["state"] == CounselorState.DRAFT.value


def test_nomination_reports_every_rule(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    values = nomination_values(
        mobile="12345", gender="男", education="博士后", service_area_codes=["420526"]
    )

    response = api.post("/api/v1/counselors", json=values, headers=headers)

    error = api_error(response)
    fields = {detail["field"] for detail in error["details"]}
    assert response.status_code == 422
    assert fields == {
        "body.mobile",
        "body.gender",
        "body.education",
        "body.service_area_codes",
    }
    assert db.session.scalars(select(Counselor)).all() == []


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"nickname": "小张"}, "body.nickname", "extra_forbidden"),
        ({"served_others": "3"}, "body.served_others", "int_type"),
        ({"work_areas": "组织建设"}, "body.work_areas", "list_type"),
        ({"submit": "yes"}, "body.submit", "bool_type"),
        ({"employer": "社" * 101}, "body.employer", "string_too_long"),
    ],
)
def test_nomination_body_types(api, make_token, frozen_clock, change, field, code):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(
        "/api/v1/counselors", json={**nomination_values(), **change}, headers=headers
    )

    details = api_error(response)["details"]
    assert response.status_code == 422
    assert {"field": field, "code": code} == {
        key: details[0][key] for key in ("field", "code")
    }


def test_nomination_missing_field(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    values = nomination_values()
    del values["name"]

    response = api.post("/api/v1/counselors", json=values, headers=headers)

    detail = api_error(response)["details"][0]
    assert detail["field"] == "body.name"
    assert detail["code"] == "missing"
    assert detail["message"] == "缺少必填字段。"


def test_reviewer_token_cannot_nominate(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post("/api/v1/counselors", json=nomination_values(), headers=headers)

    assert response.status_code == 403
    assert "名录库管理员" in api_error(response)["message"]


def test_id_number_held_elsewhere_is_422(api, make_token, nominate_counselor):
    held = nominate_counselor("420526")
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(
        "/api/v1/counselors",
        json=nomination_values(id_number=held.id_number, gender=held.gender),
        headers=headers,
    )

    assert response.status_code == 422
    assert "兴山县" in api_error(response)["message"]


# Service centers.


@pytest.fixture
def center(make_applicant, frozen_clock):
    applicant = make_applicant()
    return service_centers.create_application(applicant, application_values())


def test_centers_list_and_read(api, make_token, center):
    _token, headers = make_token("420500", Role.REVIEWER)

    listing = api.get("/api/v1/service-centers", headers=headers).get_json()
    detail = api.get(f"/api/v1/service-centers/{center.id}", headers=headers)

    assert [item["id"] for item in listing["items"]] == [center.id]
    assert detail.status_code == 200
    assert detail.get_json()["address"] == center.address


def test_centers_search_by_credit_code(api, make_token, center):
    _token, headers = make_token("420525", Role.REVIEWER)
    code = center.organisation.credit_code[:8]

    found = api.get(f"/api/v1/service-centers?search={code}", headers=headers)
    missed = api.get("/api/v1/service-centers?search=不存在的中心", headers=headers)

    assert [item["id"] for item in found.get_json()["items"]] == [center.id]
    assert missed.get_json()["items"] == []


def test_sibling_center_is_404(api, make_token, center):
    _token, headers = make_token("420526", Role.REVIEWER)

    listing = api.get("/api/v1/service-centers", headers=headers).get_json()
    detail = api.get(f"/api/v1/service-centers/{center.id}", headers=headers)

    assert listing["items"] == []
    assert detail.status_code == 404
