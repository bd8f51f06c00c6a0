"""API bulk upsert of registry records through the spreadsheet import."""

from sqlalchemy import func, select

from tests.helpers import api_error, nomination_values, person_values
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, ImportBatch, Role
from workflow.models.import_batch import ImportBatchStatus
from workflow.states.counselor import CounselorState

URL = "/api/v1/registry/records"


def _row(serial, **overrides):
    values = person_values(serial, **overrides)
    return {key: value for key, value in values.items() if value is not None}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_rows_are_nominated_in_one_batch(api, make_token, frozen_clock):
    token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    rows = [_row(1), _row(2, gender="男")]

    response = api.post(URL, json={"rows": rows}, headers=headers)

    body = response.get_json()
    batch = db.session.get(ImportBatch, body["id"])
    events = db.session.scalars(select(AuditEvent)).all()
    assert response.status_code == 201
    assert body["status"] == "committed"
    assert body["nominated"] == 2
    assert batch.status is ImportBatchStatus.COMMITTED
    assert batch.uploaded_by_id == token.user_id
    assert batch.filename.endswith(".csv")
    assert {event.import_batch_id for event in events} == {batch.id}
    assert {event.actor_id for event in events} == {token.user_id}
    assert _count(Counselor) == 2


def test_appointment_row_is_imported_appointed(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = _row(1, appointed_on="2023-03-31", certificate_number="420525-2023-0001")

    response = api.post(URL, json={"rows": [row]}, headers=headers)

    record = db.session.scalars(select(Counselor)).one()
    assert response.get_json()["appointed"] == 1
    assert record.state is CounselorState.APPOINTED
    assert record.certificate_number == "420525-2023-0001"


def test_known_person_is_updated(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    api.post(URL, json={"rows": [_row(1)]}, headers=headers)
    record = db.session.scalars(select(Counselor)).one()
    record.state = CounselorState.DRAFT
    db.session.commit()

    response = api.post(
        URL, json={"rows": [_row(1, employer="远安县新合作社")]}, headers=headers
    )

    db.session.expire_all()
    assert response.get_json()["updated"] == 1
    assert db.session.get(Counselor, record.id).employer == "远安县新合作社"


def test_any_bad_row_writes_nothing(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    rows = [_row(1), _row(2, mobile="123"), _row(3, education="博士后")]

    response = api.post(URL, json={"rows": rows}, headers=headers)

    error = api_error(response)
    batch = db.session.scalars(select(ImportBatch)).one()
    assert response.status_code == 422
    assert error["code"] == "rows_rejected"
    assert [(d["row"], d["field"]) for d in error["details"]] == [
        (1, "rows.1.mobile"),
        (2, "rows.2.education"),
    ]
    assert "手机号码" in error["details"][0]["message"]
    assert error["details"][0]["value"] == "123"
    assert batch.status is ImportBatchStatus.INVALID
    assert str(batch.id) in error["message"]
    assert _count(Counselor) == 0
    assert _count(AuditEvent) == 0


def test_duplicate_rows_name_each_other(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(URL, json={"rows": [_row(1), _row(1)]}, headers=headers)

    details = api_error(response)["details"]
    assert [detail["row"] for detail in details] == [0, 1]
    assert {detail["field"] for detail in details} == {
        "rows.0.id_number",
        "rows.1.id_number",
    }
    assert "rows[1]" in details[0]["message"]
    assert "rows[0]" in details[1]["message"]


def test_person_held_elsewhere_is_rowapi_error(api, make_token, nominate_counselor):
    held = nominate_counselor("420526")
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = {
        **_row(1),
        "id_number": held.id_number,
        "gender": held.gender,
    }

    response = api.post(URL, json={"rows": [row]}, headers=headers)

    detail = api_error(response)["details"][0]
    assert detail["field"] == "rows.0.id_number"
    assert "兴山县" in detail["message"]


def test_row_types_are_checked_before_import(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = {**_row(1), "served_others": "many", "colour": "red"}

    response = api.post(URL, json={"rows": [row]}, headers=headers)

    fields = {detail["field"] for detail in api_error(response)["details"]}
    assert response.status_code == 422
    assert fields == {"body.rows.0.served_others", "body.rows.0.colour"}
    assert _count(ImportBatch) == 0


def test_too_many_rows_is_422(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = _row(1)

    response = api.post(URL, json={"rows": [row] * 1001}, headers=headers)

    detail = api_error(response)["details"][0]
    assert detail["field"] == "body.rows"
    assert detail["code"] == "too_long"


def test_empty_rows_is_422(api, make_token):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)

    response = api.post(URL, json={"rows": []}, headers=headers)

    assert api_error(response)["details"][0]["code"] == "too_short"


def test_reviewer_token_cannot_import(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REVIEWER)

    response = api.post(URL, json={"rows": [_row(1)]}, headers=headers)

    assert response.status_code == 403
    assert _count(ImportBatch) == 0


def test_formula_text_is_kept_as_text(api, make_token, frozen_clock):
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = _row(1, position="=HYPERLINK(1)")

    response = api.post(URL, json={"rows": [row]}, headers=headers)

    assert response.status_code == 201
    assert db.session.scalars(select(Counselor)).one().position == "=HYPERLINK(1)"


def test_nomination_values_fit_row_model(api, make_token, frozen_clock):
    # A row is a nomination plus the template's extra columns.
    _token, headers = make_token("420525", Role.REGISTRY_ADMIN)
    row = {k: v for k, v in nomination_values().items() if v is not None}

    response = api.post(URL, json={"rows": [row]}, headers=headers)

    assert response.status_code == 201
