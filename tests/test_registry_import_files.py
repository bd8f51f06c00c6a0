"""Files that cannot be imported at all: a clear message and nothing written."""

import io
import tracemalloc
import zipfile

import pytest
from flask import current_app
from sqlalchemy import func, select

from tests.helpers import fixture_bytes
from workflow.errors import NotPermitted
from workflow.extensions import db
from workflow.models import Counselor, ImportBatch, Role
from workflow.registry_import import batches
from workflow.registry_import.files import FileRejected


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("name", "upload_as", "message"),
    [
        ("empty.xlsx", "empty.xlsx", "未找到表头行"),
        ("header-only.xlsx", "header-only.xlsx", "只有表头，没有数据行"),
        ("password.xls", "password.xls", "设置了打开密码"),
        ("password.xlsx", "password.xlsx", "设置了打开密码"),
        ("not-a-spreadsheet.xlsx", "not-a-spreadsheet.xlsx", "不是电子表格"),
        ("corrupt.xlsx", "corrupt.xlsx", "已损坏或不完整"),
        ("zip-bomb.xlsx", "zip-bomb.xlsx", "压缩炸弹"),
        ("good.xlsx", "good.pdf", "只能上传"),
    ],
)
def test_bad_file_rejected_without_writing(
    make_user, frozen_clock, name, upload_as, message
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(FileRejected) as caught:
        batches.upload(admin, upload_as, fixture_bytes(name))

    assert message in str(caught.value.user_message)
    assert _count(ImportBatch) == 0
    assert _count(Counselor) == 0


@pytest.mark.parametrize(
    "content", [b"%PDF-1.4 renamed", b"PK\n", "姓名,身份证号\n".encode()]
)
def test_text_named_xlsx_rejected(make_user, frozen_clock, content):
    # An .xlsx is always a zip package; reading other bytes as CSV would
    # report a missing header row instead of the file's real fault.
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(FileRejected) as caught:
        batches.upload(admin, "名单.xlsx", content)

    assert "不是电子表格" in str(caught.value.user_message)
    assert _count(ImportBatch) == 0


def test_file_over_size_limit_rejected(make_user, frozen_clock, monkeypatch):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    monkeypatch.setitem(current_app.config, "IMPORT_MAX_FILE_BYTES", 4096)

    with pytest.raises(FileRejected, match="over the limit") as caught:
        batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))

    assert "大小超过上限" in str(caught.value.user_message)
    assert _count(ImportBatch) == 0


def test_utf16_text_rejected_with_advice(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    content = "姓名\t身份证号\n".encode("utf-16")

    with pytest.raises(FileRejected) as caught:
        batches.upload(admin, "list.csv", content)

    assert "UTF-16" in str(caught.value.user_message)


def _sheet_of_rows(count):
    # A minimal but complete .xlsx package: one worksheet of ``count`` rows
    # of inline strings, the way streaming writers produce them.
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x{n}</t></is></c></row>'
        for n in range(1, count + 1)
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"'
            ' Type="worksheet"/></Relationships>',
        )
        package.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            f'main"><sheetData>{rows}</sheetData></worksheet>',
        )
    return stream.getvalue()


def test_sheet_of_200000_rows_rejected_in_bounded_memory(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    content = _sheet_of_rows(200_000)

    tracemalloc.start()
    try:
        with pytest.raises(FileRejected) as caught:
            batches.upload(admin, "big.xlsx", content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "超过单次导入上限" in str(caught.value.user_message)
    # The rows are counted in the unpacked stream, 1 MiB at a time; the
    # sheet itself is never parsed.
    assert peak < 16 * 1024 * 1024
    assert _count(ImportBatch) == 0


def test_user_without_admin_role_may_not_upload(make_user, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)

    with pytest.raises(NotPermitted, match="not a registry administrator"):
        batches.upload(reviewer, "good.xlsx", fixture_bytes("good.xlsx"))

    assert _count(ImportBatch) == 0


def test_broken_workbook_xml_reported_as_damaged(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook><sheets>")
        package.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")

    with pytest.raises(FileRejected, match="workbook XML") as caught:
        batches.upload(admin, "broken.xlsx", stream.getvalue())

    assert "已损坏或不完整" in str(caught.value.user_message)
