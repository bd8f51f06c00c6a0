"""One active record per ID number, kept by the database under races.

The checks before each write find an earlier active record. These tests
let a second record for the same person commit after those checks and
before the write, as another user's request can, and expect the write to
fail cleanly: a Chinese message, and nothing of it in the database.
"""

import csv
import io
import threading

import pytest
from sqlalchemy import func, select, text

from tests.helpers import (
    flash_messages,
    new_counselor,
    nomination_form,
    nomination_values,
    post_form,
)
from workflow import engine, nominations
from workflow.errors import (
    ConcurrentWrite,
    DomainValidationError,
    DuplicateActiveRecord,
)
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.models.import_batch import ImportBatch, ImportBatchStatus
from workflow.registry_columns import COLUMNS
from workflow.registry_import import batches
from workflow.states.counselor import CounselorState as S

PERSON = nomination_values()


def _count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _commit_elsewhere(department, state, **fields):
    """Commit a record for ``PERSON`` on a connection of its own."""
    record = new_counselor(department, state, 900, id_number=PERSON["id_number"])
    values = {
        column.name: getattr(record, column.key)
        for column in Counselor.__table__.columns
        if column.computed is None and getattr(record, column.key, None) is not None
    }
    values.update(department_id=department.id, **fields)
    with db.engine.begin() as connection:
        connection.execute(Counselor.__table__.insert(), values)


def _race_after_holder_check(monkeypatch, department):
    # A nomination looks for an active holder, then writes.
    check = nominations.active_holders

    def check_then_race(id_numbers, exclude_id=None):
        holders = check(id_numbers, exclude_id)
        _commit_elsewhere(department, S.NOMINATED)
        return holders

    monkeypatch.setattr(nominations, "active_holders", check_then_race)


def _race_after_planning(monkeypatch, department):
    # The import checks the registry while planning and writes afterwards.
    plan_import = batches.plan_import

    def plan_then_race(*args):
        plan = plan_import(*args)
        _commit_elsewhere(department, S.NOMINATED)
        return plan

    monkeypatch.setattr(batches, "plan_import", plan_then_race)


def _person_csv():
    keys = [c.key for c in COLUMNS if c.key not in ("tier", "birth_date")]
    row = {
        key: "、".join(value) if isinstance(value, list) else value
        for key, value in PERSON.items()
        if value is not None
    }
    row.update(department="", service_area_codes="420525")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([str(c.header) for c in COLUMNS if c.key in keys])
    writer.writerow([row.get(key, "") for key in keys])
    return text.getvalue().encode("utf-8")


def test_database_rejects_second_active_record(make_counselor):
    first = make_counselor("420525", S.APPOINTED)

    db.session.add(
        new_counselor(first.department, S.NOMINATED, 2, id_number=first.id_number)
    )
    with pytest.raises(DuplicateActiveRecord) as raised:
        db.session.commit()
    db.session.rollback()

    assert _count(Counselor, Counselor.id_number == first.id_number) == 1
    # Logs carry the error's text, and logs never hold a full ID number.
    assert first.id_number not in str(raised.value)


def test_inactive_records_share_an_id_number(make_counselor):
    first = make_counselor("420525", S.REJECTED)

    make_counselor("420525", S.WITHDRAWN, id_number=first.id_number)
    make_counselor("420525", S.NOMINATED, id_number=first.id_number)

    assert _count(Counselor, Counselor.id_number == first.id_number) == 3


def test_nomination_entered_meanwhile_writes_nothing(
    make_user, department, frozen_clock, monkeypatch
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _race_after_holder_check(monkeypatch, department("420526"))

    with pytest.raises(DuplicateActiveRecord) as raised:
        nominations.create_nomination(admin, nomination_values(), submit=True)

    assert "刚由其他用户录入" in str(raised.value.user_message)
    assert _count(Counselor) == 1
    assert _count(AuditEvent) == 0


def test_upload_entered_meanwhile_writes_nothing(
    make_user, department, frozen_clock, monkeypatch
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _race_after_planning(monkeypatch, department("420526"))

    with pytest.raises(batches.ImportRejected) as raised:
        batches.upload(admin, "list.csv", _person_csv(), commit=True)

    assert raised.value.user_message == batches.ENTERED_MEANWHILE
    assert _count(Counselor) == 1
    assert _count(ImportBatch) == 0
    assert _count(AuditEvent) == 0


def test_batch_commit_entered_meanwhile_stays_ready(
    make_user, department, frozen_clock, monkeypatch
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = batches.upload(admin, "list.csv", _person_csv())
    _race_after_planning(monkeypatch, department("420526"))

    with pytest.raises(batches.ImportRejected):
        batches.commit_batch(admin, batch.id)

    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status is ImportBatchStatus.READY
    assert _count(Counselor) == 1
    assert _count(AuditEvent) == 0


def test_reinstatement_entered_meanwhile_changes_nothing(
    make_user, make_counselor, department, frozen_clock, monkeypatch
):
    leader = make_user("420525", Role.LEADER)
    record = make_counselor("420525", S.WITHDRAWN, id_number=PERSON["id_number"])
    # The guard looked before the other record committed.
    monkeypatch.setattr("workflow.terms.reinstatement_refusal", lambda *args: None)
    _commit_elsewhere(department("420526"), S.NOMINATED)

    with pytest.raises(DuplicateActiveRecord):
        engine.fire(
            Counselor, record.id, "reinstate", leader, comment="误操作，恢复聘任"
        )

    db.session.expire_all()
    assert db.session.get(Counselor, record.id).state is S.WITHDRAWN
    assert _count(AuditEvent) == 0


def test_nomination_form_keeps_input_after_race(
    make_user, sign_in, department, frozen_clock, monkeypatch
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _race_after_holder_check(monkeypatch, department("420526"))

    response = post_form(
        sign_in(admin),
        "/counselors/new",
        data={**nomination_form(), "submit_nomination": "提交推荐"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any("刚由其他用户录入" in message for message in flash_messages(page))
    assert PERSON["employer"] in page
    assert _count(Counselor) == 1


def test_deadlock_victim_gets_concurrent_write(app, make_counselor):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite lets one transaction write at a time")
    first = make_counselor("420525", S.NOMINATED)
    second = make_counselor("420525", S.NOMINATED)
    outcomes = []
    both_locked = threading.Barrier(2)

    def lock_in_order(ids):
        with app.app_context(), db.engine.connect() as connection:
            try:
                for number, record_id in enumerate(ids):
                    connection.execute(
                        text("UPDATE counselor SET version = version WHERE id = :id"),
                        {"id": record_id},
                    )
                    if number == 0:
                        both_locked.wait(timeout=10)
                connection.rollback()
                outcomes.append("done")
            except ConcurrentWrite as error:
                outcomes.append(error)

    threads = [
        threading.Thread(target=lock_in_order, args=(order,))
        for order in ((first.id, second.id), (second.id, first.id))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    assert outcomes.count("done") == 1
    victim = next(outcome for outcome in outcomes if outcome != "done")
    assert isinstance(victim, ConcurrentWrite)
    assert "其他用户正在同时修改" in str(victim.user_message)


def test_nomination_lost_to_deadlock_is_checked_again(
    make_user, department, frozen_clock, monkeypatch
):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    build = nominations.new_counselor
    attempts = []

    def deadlocked_once(*args):
        # The other nomination commits, and the database picks this
        # transaction as the deadlock victim of its write.
        attempts.append(1)
        if len(attempts) == 1:
            _commit_elsewhere(department("420526"), S.NOMINATED)
            raise ConcurrentWrite("deadlock victim")
        return build(*args)

    monkeypatch.setattr(nominations, "new_counselor", deadlocked_once)

    with pytest.raises(DomainValidationError) as raised:
        nominations.create_nomination(admin, nomination_values(), submit=True)

    assert raised.value.field == "id_number"
    assert "兴山县" in str(raised.value.user_message)
    assert len(attempts) == 1
    assert _count(Counselor) == 1
    assert _count(AuditEvent) == 0
