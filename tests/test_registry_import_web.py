"""The import pages as a county administrator and others use them."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.helpers import csrf_token_from, fixture_bytes, post_form
from workflow.extensions import db
from workflow.models import Counselor, ImportBatch, Role, SecurityEvent


def _upload(client, name, content=None):
    token = csrf_token_from(client.get("/imports/").get_data(as_text=True))
    return client.post(
        "/imports/",
        data={
            "csrf_token": token,
            "spreadsheet": (io.BytesIO(content or fixture_bytes(name)), name),
        },
        content_type="multipart/form-data",
    )


def _batch_id(response):
    return int(re.search(r"/imports/(\d+)$", response.headers["Location"]).group(1))


def test_upload_shows_counts_then_commits(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)

    response = _upload(client, "good.xlsx")
    batch_id = _batch_id(response)
    page = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    committed = client.post(
        f"/imports/{batch_id}/commit", data={"csrf_token": csrf_token_from(page)}
    )

    assert response.status_code == 303
    assert "确认导入 8 行" in page
    assert committed.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 8
    done = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "导入完成：新推荐 2 人，已聘任 6 人" in done


def test_problem_page_and_annotated_copy(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    batch_id = _batch_id(_upload(client, "errors.xlsx"))

    page = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    download = client.get(f"/imports/{batch_id}/annotated.xlsx")

    assert "确认导入" not in page
    assert "身份证号被保存成了数字" in page
    workbook = load_workbook(io.BytesIO(download.data))
    sheet = workbook.worksheets[0]
    assert sheet["D2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "身份证号被保存成了数字" in sheet["D2"].comment.text
    assert sheet["A1"].fill.fgColor.rgb in (None, "00000000")
    assert sheet["R5"].value == "2023-02-30"
    problems = workbook.worksheets[1]
    assert problems.max_row == 17


def test_annotated_copy_of_csv_keeps_rows(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420526", Role.REGISTRY_ADMIN))
    batch_id = _batch_id(_upload(client, "good-gbk.csv"))

    download = client.get(f"/imports/{batch_id}/annotated.xlsx")

    sheet = load_workbook(io.BytesIO(download.data)).worksheets[0]
    assert sheet["A1"].value == "远安县2025年度新型农业经营主体辅导员名录"
    assert sheet["Q4"].value == "远安县"
    assert "未找到名为“远安县”的区划" in sheet["Q4"].comment.text


def test_rejected_file_shown_next_to_field(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))

    response = _upload(client, "zip-bomb.xlsx")

    assert response.status_code == 200
    assert "压缩炸弹" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_password_protected_xlsx_gets_advice(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    content = fixture_bytes("password.xlsx")

    response = _upload(client, "password.xlsx", content)

    # An encrypted .xlsx is an OLE container, not a zip, as Excel writes it.
    assert content.startswith(b"\xd0\xcf\x11\xe0")
    assert "EncryptedPackage".encode("utf-16-le") in content
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "该工作簿设置了打开密码" in page
    assert "取消密码后另存，再上传" in page
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 0


def test_upload_over_request_limit_gets_message(app, make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        response = _upload(client, "good.xlsx")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit

    assert response.status_code == 303
    page = client.get("/imports/").get_data(as_text=True)
    assert "超过大小上限" in page


def test_other_county_gets_not_found(make_user, sign_in, frozen_clock):
    owner = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    batch_id = _batch_id(_upload(owner, "good.xlsx"))
    neighbour = sign_in(make_user("420526", Role.REGISTRY_ADMIN))

    assert neighbour.get(f"/imports/{batch_id}").status_code == 404
    assert neighbour.get(f"/imports/{batch_id}/original").status_code == 404


def test_prefecture_reads_but_cannot_commit(make_user, sign_in, frozen_clock):
    owner = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    batch_id = _batch_id(_upload(owner, "good.xlsx"))
    prefecture = sign_in(make_user("420500", Role.REGISTRY_ADMIN))

    page = prefecture.get(f"/imports/{batch_id}").get_data(as_text=True)
    original = prefecture.get(f"/imports/{batch_id}/original")
    listing = prefecture.get("/imports/").get_data(as_text=True)

    assert "确认导入" not in page
    assert original.data == fixture_bytes("good.xlsx")
    assert "good.xlsx" in listing


def test_template_download(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.SUPERVISOR))

    template = client.get("/imports/template.xlsx")

    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.data)).sheetnames[0] == "辅导员名录"


def _export_workbook(client, purpose="年度报送数据核对"):
    return post_form(
        client,
        "/registry/export?state=appointed",
        data={"purpose": purpose, "workbook": "y"},
    )


def test_export_workbook_is_logged_with_its_purpose(make_user, sign_in, frozen_clock):
    client = sign_in(make_user("420525", Role.REVIEWER))

    export = _export_workbook(client)

    assert export.status_code == 200
    assert "attachment" in export.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(export.data)).sheetnames[0] == "辅导员名录"
    assert _export_events() == 1


@pytest.mark.parametrize(
    ("purpose", "role"),
    [("年度报送数据核对", Role.SUPERVISOR), ("  ", Role.REVIEWER)],
)
def test_export_workbook_refused(make_user, sign_in, frozen_clock, purpose, role):
    client = sign_in(make_user("420525", role))

    export = _export_workbook(client, purpose)

    assert "attachment" not in export.headers.get("Content-Disposition", "")
    assert _export_events() == 0


def _export_events():
    return db.session.scalar(
        select(func.count())
        .select_from(SecurityEvent)
        .where(SecurityEvent.action == "export")
    )
