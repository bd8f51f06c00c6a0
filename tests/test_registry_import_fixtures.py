"""Workbooks saved by LibreOffice Calc, read in every accepted format.

The fixtures come from scripts/make_import_fixtures.py: the same eight
people saved as .xlsx, .xls and CSV in UTF-8, UTF-8 with a BOM and GBK,
each using one of the normalisations a user expects, and a workbook whose
rows each break one rule.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.helpers import fixture_bytes
from workflow.extensions import db
from workflow.models import AuditEvent, CertificateSerial, Counselor, Role
from workflow.models.import_batch import ImportBatchStatus
from workflow.registry_import import batches
from workflow.states.counselor import CounselorState

GOOD_FILES = (
    "good.xlsx",
    "good.xls",
    "good-utf8.csv",
    "good-utf8-bom.csv",
    "good-gbk.csv",
)


def _records():
    return {
        record.name: record
        for record in db.session.scalars(select(Counselor).order_by(Counselor.id))
    }


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_file_checks_clean(make_user, frozen_clock, name):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    batch = batches.upload(admin, name, fixture_bytes(name))

    report = batches.report(batch)
    assert report["problems"] == []
    assert report["header_row"] == 3
    assert report["notices"] == ["以下列不是名录字段，导入时已忽略：序号。"]
    assert report["counts"]["appoint"] == 6
    assert report["counts"]["nominate"] == 2
    assert batch.status is ImportBatchStatus.READY
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 0


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_file_commits_normalised_values(make_user, frozen_clock, name):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, name, fixture_bytes(name))

    batches.commit_batch(admin, batch.id)

    records = _records()
    assert sorted(records) == sorted(
        [
            "张 桂兰",
            "李建国",
            "王秀英",
            "刘志强",
            "陈海燕",
            "杨德福",
            "赵春梅",
            "黄文斌",
        ]
    )
    zhang = records["张 桂兰"]
    assert zhang.id_number == "420525198503150027"
    assert zhang.mobile == "13900001111"
    assert records["李建国"].mobile == "13900002222"
    for person in ("张 桂兰", "李建国", "王秀英", "刘志强", "陈海燕", "杨德福"):
        assert records[person].state is CounselorState.APPOINTED
        assert records[person].appointed_on == date(2023, 3, 31)
    assert records["张 桂兰"].certificate_number == "420525-2023-0007"
    assert records["张 桂兰"].term_ends_on == date(2026, 3, 30)
    assert records["王秀英"].term_starts_on == date(2023, 4, 1)
    assert records["王秀英"].term_ends_on == date(2026, 3, 31)
    zhao = records["赵春梅"]
    assert zhao.state is CounselorState.NOMINATED
    assert zhao.id_number.endswith("X")
    assert zhao.education == "大学本科"
    assert zhao.ethnicity == "土家族"
    assert zhao.email == "zhao@example.com"
    assert zhao.employer == "远安县 农技 推广中心"
    huang = records["黄文斌"]
    assert huang.political_status == "中共党员"
    assert huang.served_cooperatives == 3
    assert huang.service_area_codes == ["420525"]
    assert zhang.work_areas == ["组织建设", "财务会计"]


def test_commit_links_one_audit_event_per_record(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))

    batches.commit_batch(admin, batch.id)

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == 8
    assert {event.import_batch_id for event in events} == {batch.id}
    actions = sorted((e.action, e.from_state, e.to_state) for e in events)
    assert actions.count(("import_appointed", "draft", "appointed")) == 6
    assert actions.count(("nominate", "draft", "nominated")) == 2
    db.session.refresh(batch)
    assert batch.status is ImportBatchStatus.COMMITTED
    assert batch.committed_by_id == admin.id


def test_imported_certificates_advance_the_counter(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))

    batches.commit_batch(admin, batch.id)

    counter = db.session.get(CertificateSerial, (admin.department_id, 2023))
    assert counter.last_serial == 12


def test_nominations_wait_in_review_queue(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))
    batches.commit_batch(admin, batch.id)

    queue = sign_in(reviewer).get("/").get_data(as_text=True)

    assert "赵春梅" in queue
    assert "黄文斌" in queue
    assert "李建国" not in queue


# Every row of errors.xlsx breaks one rule; (row, column, words of the
# message) for each problem the import must report.
EXPECTED_PROBLEMS = [
    (2, "D", "身份证号被保存成了数字"),
    (3, "D", "与第6行的身份证号重复"),
    (4, "D", "校验位不正确"),
    (5, "R", "日期不存在"),
    (6, "D", "与第3行的身份证号重复"),
    (7, "R", "无法识别的日期"),
    (8, "G", "政治面貌只能填写"),
    (9, "J", "手机号码应为以1开头的11位数字"),
    (10, "C", "性别与身份证号码不一致"),
    (11, "E", "出生日期与身份证号码中的出生日期不一致"),
    (12, "R", "须填写聘任日期和证书编号"),
    (13, "Q", "未找到名为“火星县”的区划"),
    (14, "I", "工作单位为必填项"),
    (15, "V", "服务合作社数量应为0至100000之间的整数"),
    (16, "U", "与第17行的证书编号重复"),
    (17, "U", "与第16行的证书编号重复"),
]


def test_error_file_reports_every_cell(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    batch = batches.upload(admin, "errors.xlsx", fixture_bytes("errors.xlsx"))

    problems = batches.report(batch)["problems"]
    found = [(p["row"], p["column"], p["message"]) for p in problems]
    assert len(found) == len(EXPECTED_PROBLEMS)
    for (row, column, words), (got_row, got_column, message) in zip(
        EXPECTED_PROBLEMS, found, strict=True
    ):
        assert (got_row, got_column) == (row, column)
        assert words in message
    assert batch.status is ImportBatchStatus.INVALID


def test_error_report_shows_number_as_spreadsheet_holds_it(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    batch = batches.upload(admin, "errors.xlsx", fixture_bytes("errors.xlsx"))

    first = batches.report(batch)["problems"][0]
    assert first["value"] == "420525198503150000"
    assert first["header"] == "身份证号（18位）"


def test_error_file_cannot_be_committed(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "errors.xlsx", fixture_bytes("errors.xlsx"))

    with pytest.raises(batches.ImportRejected, match="invalid"):
        batches.commit_batch(admin, batch.id)

    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
