"""API workflow steps: listing, firing, stale versions, jurisdiction."""

from sqlalchemy import select

from tests.helpers import api_error, application_values
from workflow import service_centers
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.states.counselor import CounselorState
from workflow.states.service_center import CenterState


def test_reviewer_sees_start_review(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.get(f"/api/v1/counselors/{record.id}/steps", headers=headers)

    body = response.get_json()
    assert response.status_code == 200
    assert body["version"] == record.version
    assert body["state"] == "nominated"
    assert [step["trigger"] for step in body["steps"]] == ["start_review"]
    assert body["steps"][0]["blocked_reason"] is None


def test_parent_sees_no_steps_on_county_record(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420500", Role.REVIEWER)

    response = api.get(f"/api/v1/counselors/{record.id}/steps", headers=headers)

    assert response.get_json()["steps"] == []


def test_step_is_taken_through_engine(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    token, headers = make_token("420525", Role.REVIEWER, name="审核同步")

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "start_review", "version": record.version},
        headers=headers,
    )

    body = response.get_json()
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_id == record.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert response.status_code == 200
    assert body["state"] == "under_review"
    assert body["version"] == record.version + 1
    assert event.action == "start_review"
    assert event.actor_id == token.user_id
    assert "审核同步" in event.actor.display_name


def test_stale_version_is_409(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)
    url = f"/api/v1/counselors/{record.id}/steps"
    api.post(
        url,
        json={"trigger": "start_review", "version": record.version},
        headers=headers,
    )

    response = api.post(
        url,
        json={"trigger": "approve", "version": record.version},
        headers=headers,
    )

    assert response.status_code == 409
    assert api_error(response)["code"] == "stale_version"
    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is CounselorState.UNDER_REVIEW


def test_sibling_gets_404_and_nothing_changes(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420526", Role.REVIEWER)
    url = f"/api/v1/counselors/{record.id}/steps"

    listing = api.get(url, headers=headers)
    fired = api.post(
        url,
        json={"trigger": "start_review", "version": record.version},
        headers=headers,
    )

    assert listing.status_code == 404
    assert fired.status_code == 404
    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is CounselorState.NOMINATED


def test_parent_taking_owner_step_is_403(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420500", Role.REVIEWER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "start_review", "version": record.version},
        headers=headers,
    )

    assert response.status_code == 403
    assert api_error(response)["code"] == "forbidden"


def test_wrong_role_is_403(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.SUPERVISOR)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "start_review", "version": record.version},
        headers=headers,
    )

    assert response.status_code == 403


def test_step_from_wrong_state_is_409(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "approve", "version": record.version},
        headers=headers,
    )

    assert response.status_code == 409
    assert api_error(response)["code"] == "invalid_transition"


def test_unknown_trigger_is_409(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "teleport", "version": record.version},
        headers=headers,
    )

    assert response.status_code == 409


def test_rejection_needs_reason(api, make_token, nominate_counselor):
    record = nominate_counselor("420525", "under_review")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "reject", "version": record.version, "comment": "  "},
        headers=headers,
    )

    assert response.status_code == 422
    assert api_error(response)["details"][0]["field"] == "body.comment"


def test_strike_off_needs_web_form(api, make_token, nominate_counselor):
    record = nominate_counselor("420525", "appointed")
    _token, headers = make_token("420525", Role.LEADER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "strike_off", "version": record.version, "comment": "违规"},
        headers=headers,
    )
    listing = api.get(f"/api/v1/counselors/{record.id}/steps", headers=headers)

    assert response.status_code == 422
    assert api_error(response)["code"] == "step_needs_form"
    assert "strike_off" not in [s["trigger"] for s in listing.get_json()["steps"]]


def test_version_must_be_integer(api, make_token, nominate_counselor):
    record = nominate_counselor("420525")
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post(
        f"/api/v1/counselors/{record.id}/steps",
        json={"trigger": "start_review", "version": "1"},
        headers=headers,
    )

    assert response.status_code == 422
    assert api_error(response)["details"][0]["field"] == "body.version"


def test_center_step(api, make_token, make_applicant, frozen_clock):
    center = service_centers.create_application(make_applicant(), application_values())
    center.state = CenterState.SUBMITTED
    db.session.commit()
    _token, headers = make_token("420525", Role.REVIEWER)
    url = f"/api/v1/service-centers/{center.id}/steps"

    steps = api.get(url, headers=headers).get_json()
    fired = api.post(
        url,
        json={"trigger": "start_review", "version": center.version},
        headers=headers,
    )

    assert [step["trigger"] for step in steps["steps"]] == ["start_review"]
    assert fired.status_code == 200
    assert fired.get_json()["state"] == "under_review"
