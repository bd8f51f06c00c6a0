"""Uploaded files: checked by content, stored outside the web root."""

import io

import pytest
from sqlalchemy import select

from tests.center_pages import flashes, upload
from tests.helpers import (
    EXE_BYTES,
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    application_values,
)
from workflow import attachments, service_centers
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models import Attachment


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("证书.pdf", PDF_BYTES, "pdf"),
        ("照片.PNG", PNG_BYTES, "png"),
        ("照片.jpeg", JPEG_BYTES, "jpg"),
        ("C:\\Users\\张三\\扫描.jpg", JPEG_BYTES, "jpg"),
    ],
)
def test_check_upload_accepts_real_files(app_context, name, content, extension):
    checked = attachments.check_upload(name, io.BytesIO(content))

    assert checked.extension == extension
    assert "\\" not in checked.original_name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证书.pdf", EXE_BYTES, "文件内容与扩展名不符"),
        ("证书.pdf", PNG_BYTES, "文件内容与扩展名不符"),
        ("照片.png", HTML_BYTES, "文件内容与扩展名不符"),
        ("照片.jpg", PDF_BYTES, "文件内容与扩展名不符"),
        ("证书.exe", EXE_BYTES, "只能上传 PDF、JPG 或 PNG"),
        ("证书", PDF_BYTES, "只能上传 PDF、JPG 或 PNG"),
        ("证书.pdf", b"", "上传的文件是空的"),
        ("证书.pdf", b"%PDF-1.4\n1 0 obj<<>>", "PDF 文件不完整"),
    ],
)
def test_check_upload_rejects_by_content(app_context, name, content, message):
    with pytest.raises(DomainValidationError) as caught:
        attachments.check_upload(name, io.BytesIO(content))

    assert message in str(caught.value.user_message)


def test_check_upload_rejects_large_file(app, app_context):
    saved = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = len(PDF_BYTES) - 1

    try:
        with pytest.raises(DomainValidationError, match="larger than"):
            attachments.check_upload("证书.pdf", io.BytesIO(PDF_BYTES))
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = saved


def test_upload_stored_under_generated_name(
    app, make_applicant, sign_in, attachment_folder
):
    applicant = make_applicant()
    center = service_centers.create_application(applicant, application_values())
    client = sign_in(applicant)

    upload(client, center.id, "premises_proof", "../../场所<照片>.png", PNG_BYTES)

    stored = db.session.scalar(select(Attachment))
    assert stored.original_name == "场所<照片>.png"
    assert stored.stored_name.endswith(".png")
    assert "场所" not in stored.stored_name
    path = attachment_folder / str(center.id) / stored.stored_name
    assert path.read_bytes() == PNG_BYTES
    assert not path.is_relative_to(app.static_folder)
    download = client.get(f"/centers/{center.id}/attachments/{stored.id}")
    body = download.get_data()
    download.close()
    assert body == PNG_BYTES
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_disguised_upload_leaves_nothing(make_applicant, sign_in, attachment_folder):
    applicant = make_applicant()
    center = service_centers.create_application(applicant, application_values())
    client = sign_in(applicant)

    response = upload(client, center.id, "registration_certificate", "执照.pdf",
                      EXE_BYTES)  # fmt: skip

    page = client.get(response.headers["Location"])
    assert "文件内容与扩展名不符" in " ".join(flashes(page))
    assert db.session.scalar(select(Attachment)) is None
    assert not list(attachment_folder.rglob("*.*"))


def test_other_applicant_cannot_download(make_applicant, sign_in):
    owner = make_applicant()
    stranger = sign_in(make_applicant())
    center = service_centers.create_application(owner, application_values())
    upload(sign_in(owner), center.id, "premises_proof", "场所.png", PNG_BYTES)
    stored = db.session.scalar(select(Attachment))

    response = stranger.get(f"/centers/{center.id}/attachments/{stored.id}")

    assert response.status_code == 404
