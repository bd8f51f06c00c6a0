"""Returning, revising and withdrawing an application through the pages."""

import io
from pathlib import Path

from sqlalchemy import select

from notifications.email import send_email
from tests.center_pages import (
    flashes,
    post_form,
    post_on_center,
    upload_required_files,
)
from tests.helpers import PDF_BYTES, application_form, csrf_token_from
from workflow.extensions import db
from workflow.models import AuditEvent, Role, ServiceCenter
from workflow.states.service_center import CenterState


def _created(client):
    response = post_form(client, "/centers/new", application_form())
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _center(center_id):
    db.session.expire_all()
    return db.session.get(ServiceCenter, center_id)


def test_returned_application_revised_and_resubmitted(
    make_user, make_applicant, sign_in, frozen_clock
):
    applicant = sign_in(make_applicant())
    reviewer = sign_in(make_user("420525", Role.REVIEWER))
    center_id = _created(applicant)
    upload_required_files(applicant, center_id)
    post_on_center(applicant, center_id, "step", {"trigger": "submit"})
    post_on_center(reviewer, center_id, "step", {"trigger": "start_review"})
    post_on_center(
        reviewer,
        center_id,
        "review",
        {"decision": "return_for_revision", "reason": "请补充技术服务内容。"},
    )

    edit_page = applicant.get(f"/centers/{center_id}/edit").get_data(as_text=True)
    assert 'value="代理记账与财务规范指导"' in edit_page
    assert 'value="周建华"' in edit_page
    version = _center(center_id).version
    response = post_form(
        applicant,
        f"/centers/{center_id}/edit",
        application_form(
            version=str(version),
            **{
                "services-1-work_area": "技术支持",
                "services-1-details": "统防统治",
            },
        ),
        page_url=f"/centers/{center_id}/edit",
    )
    post_on_center(applicant, center_id, "step", {"trigger": "submit"})

    assert response.status_code == 303
    center = _center(center_id)
    assert center.state is CenterState.SUBMITTED
    assert center.work_areas == ["财务会计", "技术支持"]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == center_id)
    ).all()
    assert actions == [
        "create",
        "submit",
        "start_review",
        "return_for_revision",
        "edit",
        "submit",
    ]


def test_failed_evaluation_needs_reason(
    app, make_user, make_applicant, sign_in, frozen_clock
):
    saved = app.config["CENTER_REQUIRED_ATTACHMENTS"]
    app.config["CENTER_REQUIRED_ATTACHMENTS"] = ()
    try:
        applicant = sign_in(make_applicant())
        reviewer = sign_in(make_user("420525", Role.REVIEWER))
        center_id = _created(applicant)
        post_on_center(applicant, center_id, "step", {"trigger": "submit"})
        post_on_center(reviewer, center_id, "step", {"trigger": "start_review"})
        post_on_center(reviewer, center_id, "review", {"decision": "file"})
    finally:
        app.config["CENTER_REQUIRED_ATTACHMENTS"] = saved

    response = post_on_center(
        reviewer,
        center_id,
        "evaluation",
        {
            "year": "2025",
            "service_quality": "40",
            "management": "40",
            "satisfaction": "40",
            "comment": "",
            "deadline": "2026-04-01",
        },
    )

    assert "请填写理由" in " ".join(flashes(reviewer.get(response.headers["Location"])))
    assert _center(center_id).state is CenterState.FILED


def test_withdrawn_draft_allows_new_application(make_applicant, sign_in):
    applicant = sign_in(make_applicant())
    center_id = _created(applicant)

    post_on_center(
        applicant, center_id, "step", {"trigger": "withdraw", "comment": "重新申报"}
    )

    assert _center(center_id).state is CenterState.WITHDRAWN
    assert "填写新的备案申请" in applicant.get("/centers/mine").get_data(as_text=True)


def test_oversized_upload_refused(app, make_applicant, sign_in):
    client = sign_in(make_applicant())
    center_id = _created(client)
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024

    try:
        response = client.post(
            f"/centers/{center_id}/attachments",
            data={
                "kind": "premises_proof",
                "file": (io.BytesIO(PDF_BYTES + b"0" * 2048), "场所.pdf"),
                "csrf_token": csrf_token_from(page),
            },
            content_type="multipart/form-data",
            headers={"Referer": f"http://localhost/centers/{center_id}"},
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved

    assert response.status_code == 303
    assert "上传的文件过大" in " ".join(flashes(client.get(f"/centers/{center_id}")))
    assert _center(center_id).attachments == []


def test_email_without_server_goes_to_outbox(app, app_context, tmp_path):
    saved = app.instance_path
    app.instance_path = str(tmp_path)
    try:
        send_email("clx@example.com", "主题", "正文")
    finally:
        app.instance_path = saved

    files = list(Path(tmp_path, "outbox").glob("*.eml"))
    assert len(files) == 1
    assert b"clx@example.com" in files[0].read_bytes()
