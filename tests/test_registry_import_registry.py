"""Imports meeting the registry: updates, other departments, re-uploads, races."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import fixture_bytes, nomination_values, png_bytes
from workflow import engine, nominations
from workflow.certificates import issue_certificate_number
from workflow.conduct import Evidence, strike_off_counselor
from workflow.demo import synthetic_id_number
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, CounselorTerm, Role
from workflow.models.import_batch import ImportBatchStatus
from workflow.registry_columns import COLUMNS
from workflow.registry_import import batches
from workflow.registry_import.files import FileRejected
from workflow.states.counselor import CounselorState

PERSON = nomination_values()


def _csv(*rows, headers=None):
    """Return a UTF-8 CSV of rows given as dicts of column key to text."""
    headers = headers or [c.key for c in COLUMNS if c.key not in ("tier", "birth_date")]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        [str(next(c.header for c in COLUMNS if c.key == k)) for k in headers]
    )
    for row in rows:
        writer.writerow([row.get(key, "") for key in headers])
    return text.getvalue().encode("utf-8")


def _row(**overrides):
    row = {
        key: "、".join(value) if isinstance(value, list) else value
        for key, value in PERSON.items()
        if value is not None
    }
    row["department"] = ""
    row["service_area_codes"] = "420525"
    row.update(overrides)
    return row


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_person_held_elsewhere_names_only_department(make_user, frozen_clock):
    other = make_user("420526", Role.REGISTRY_ADMIN)
    nominations.create_nomination(
        other, nomination_values(service_area_codes=["420526"]), submit=True
    )
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    batch = batches.upload(admin, "list.csv", _csv(_row()))

    (problem,) = batches.report(batch)["problems"]
    assert problem["row"] == 2
    assert problem["header"] == "身份证号"
    assert "兴山县农业农村局" in problem["message"]
    assert "远安县示范合作社" not in problem["message"]
    assert "13900001111" not in problem["message"]


def test_known_person_is_update_with_diff(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominations.create_nomination(admin, nomination_values(), submit=False)

    batch = batches.upload(
        admin, "list.csv", _csv(_row(mobile="13700009999", employer="新单位"))
    )

    report = batches.report(batch)
    assert report["counts"]["update"] == 1
    assert report["counts"]["nominate"] == 0
    (change,) = report["changes"]
    assert change["record_id"] == record.id
    assert ["工作单位", "远安县示范合作社", "新单位"] in change["changes"]
    assert ["手机号码", "13900001111", "13700009999"] in change["changes"]
    assert change["id_number"] == "420525********0027"


def test_update_commit_changes_record_and_audits(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominations.create_nomination(admin, nomination_values(), submit=False)
    batch = batches.upload(admin, "list.csv", _csv(_row(employer="新单位")))

    batches.commit_batch(admin, batch.id)

    db.session.expire_all()
    assert _count(Counselor) == 1
    assert record.employer == "新单位"
    assert record.version == 2
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import_update")
    ).one()
    assert event.import_batch_id == batch.id
    assert event.comment == "工作单位"


def test_absent_optional_column_keeps_stored_value(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    nominations.create_nomination(
        admin, nomination_values(email="a@example.com"), submit=False
    )
    headers = [c.key for c in COLUMNS if c.required]

    batch = batches.upload(admin, "list.csv", _csv(_row(), headers=headers))

    assert batches.report(batch)["counts"]["unchanged"] == 1


def test_record_under_review_cannot_change(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominations.create_nomination(admin, nomination_values(), submit=True)
    engine.fire(Counselor, record.id, "start_review", reviewer)

    batch = batches.upload(admin, "list.csv", _csv(_row(employer="新单位")))

    report = batches.report(batch)
    (problem,) = report["problems"]
    assert "审核中" in problem["message"]
    assert report["counts"]["update"] == 0
    assert batch.status is ImportBatchStatus.INVALID


def test_appointed_record_keeps_its_certificate(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    first = _row(appointed_on="2023-03-31", certificate_number="420525-2023-0001")
    batches.commit_batch(admin, batches.upload(admin, "a.csv", _csv(first)).id)
    second = dict(first, certificate_number="420525-2023-0099")

    batch = batches.upload(admin, "b.csv", _csv(second))

    (problem,) = batches.report(batch)["problems"]
    assert problem["header"] == "证书编号"
    assert "420525-2023-0001" in problem["message"]


def test_same_file_again_is_recognised(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    first = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))
    batches.commit_batch(admin, first.id)

    again = batches.upload(admin, "copy.xlsx", fixture_bytes("good.xlsx"))

    report = batches.report(again)
    assert report["earlier_batch"]["id"] == first.id
    assert again.sha256 == first.sha256
    assert report["counts"]["unchanged"] == 8
    assert report["counts"]["appoint"] == 0


def test_batch_commits_only_once(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))
    batches.commit_batch(admin, batch.id)

    with pytest.raises(batches.ImportRejected, match="committed"):
        batches.commit_batch(admin, batch.id)

    assert _count(Counselor) == 8


def test_commit_checks_again_and_writes_nothing(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    other = make_user("420526", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))
    # Between upload and commit another county nominates one of the people.
    nominations.create_nomination(
        other,
        nomination_values(
            id_number="420525197806120015", gender="男", service_area_codes=["420526"]
        ),
        submit=True,
    )

    with pytest.raises(batches.ImportRejected, match="problems"):
        batches.commit_batch(admin, batch.id)

    assert _count(Counselor) == 1
    db.session.refresh(batch)
    assert batch.status is ImportBatchStatus.INVALID
    assert batch.problem_count == 1


def test_future_appointment_refused_by_engine_guard(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    frozen_clock(datetime(2023, 3, 1, 9, 0))
    row = _row(appointed_on="2023-03-31", certificate_number="420525-2023-0001")

    batch = batches.upload(admin, "list.csv", _csv(row))

    (problem,) = batches.report(batch)["problems"]
    assert "聘任日期不能晚于今天" in problem["message"]


def test_other_department_column_refused(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    batch = batches.upload(admin, "list.csv", _csv(_row(department="兴山县农业农村局")))

    (problem,) = batches.report(batch)["problems"]
    assert "只能导入本部门（远安县农业农村局）" in problem["message"]


def test_missing_required_column_rejects_file(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    headers = [c.key for c in COLUMNS if c.key not in ("ethnicity", "education")]

    with pytest.raises(FileRejected, match="missing columns") as caught:
        batches.upload(admin, "list.csv", _csv(_row(), headers=headers))

    assert "缺少必填列：民族、学历" in str(caught.value.user_message)


def test_imported_nomination_goes_through_review(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    batch = batches.upload(admin, "list.csv", _csv(_row()))
    batches.commit_batch(admin, batch.id)
    record = db.session.scalar(select(Counselor))

    engine.fire(Counselor, record.id, "start_review", reviewer)

    assert record.state is CounselorState.UNDER_REVIEW


def test_imported_appointment_opens_its_printed_term(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    row = _row(
        appointed_on="2023-03-31",
        term_starts_on="2023-04-01",
        term_ends_on="2026-03-31",
        certificate_number="420525-2023-0007",
    )

    batches.commit_batch(admin, batches.upload(admin, "a.csv", _csv(row)).id)

    record = db.session.scalar(select(Counselor))
    term = db.session.scalars(select(CounselorTerm)).one()
    assert term.counselor_id == record.id
    assert term.number == 1
    assert term.certificate_number == "420525-2023-0007"
    assert (term.starts_on, term.ends_on) == (date(2023, 4, 1), date(2026, 3, 31))
    assert term.issued_on == date(2023, 3, 31)


def test_counter_moves_past_imported_number(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    row = _row(appointed_on="2026-01-05", certificate_number="420525-2026-0041")
    batches.commit_batch(admin, batches.upload(admin, "a.csv", _csv(row)).id)

    number = issue_certificate_number(admin.department, date(2026, 3, 2))

    assert number == "420525-2026-0042"


def test_person_cooling_off_is_refused(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    leader = make_user("420525", Role.LEADER)
    row = _row(appointed_on="2025-03-31", certificate_number="420525-2025-0001")
    batches.commit_batch(admin, batches.upload(admin, "a.csv", _csv(row)).id)
    record = db.session.scalar(select(Counselor))
    strike_off_counselor(
        leader,
        record.id,
        "improper_benefit",
        "利用辅导为亲属合作社争取项目",
        Evidence("处理决定.png", png_bytes()),
        record.version,
    )

    batch = batches.upload(admin, "b.csv", _csv(_row()))

    (problem,) = batches.report(batch)["problems"]
    assert problem["header"] == "身份证号"
    assert "前不得再次推荐" in problem["message"]


def test_large_file_and_report_are_kept(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    # Each row has an invalid mobile number, so the report grows with the
    # file; both pass 64 KiB, where MariaDB's BLOB and TEXT would stop.
    rows = [
        _row(
            id_number=synthetic_id_number(
                "420525", date(1980, 1, 1) + timedelta(days=serial), 1, PERSON["gender"]
            ),
            mobile=f"0{serial:06d}",
        )
        for serial in range(1, 1201)
    ]
    content = _csv(*rows)

    batch = batches.upload(admin, "large.csv", content)

    db.session.expire_all()
    stored = db.session.get(type(batch), batch.id)
    assert len(content) > 65_536
    assert stored.content == content
    assert len(stored.report.encode("utf-8")) > 65_536
    assert batches.report(stored)["counts"]["problems"] == 1200
