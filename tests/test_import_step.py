"""The engine's bulk import step and the inserts beneath it."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.helpers import nomination_values
from workflow import bulk_insert, engine, nominations
from workflow.errors import ConcurrentWrite, InvalidTransition, NotPermitted
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, CounselorTerm, ImportBatch, Role
from workflow.models.import_batch import ImportBatchStatus
from workflow.models.term import CertificateStatus
from workflow.states.counselor import CounselorState as S

NOW = datetime(2026, 3, 2, 9, 0)
# The required single-valued fields of a counselor record.
REQUIRED_SCALARS = (
    "name", "gender", "id_number", "ethnicity", "political_status", "education",
    "employer", "mobile", "source", "working_mode", "entry_mode",
)  # fmt: skip


def _new_record(admin, **appointment):
    values = nomination_values()
    return engine.NewRecord(
        department=admin.department,
        department_id=admin.department_id,
        created_by_id=admin.id,
        created_at=NOW,
        state=S.DRAFT,
        notice_working_days=5,
        term_years=3,
        birth_date=date(1985, 3, 15),
        **{key: values[key] for key in REQUIRED_SCALARS},
        **appointment,
    )


def _batch(admin):
    batch = ImportBatch(
        department_id=admin.department_id,
        uploaded_by_id=admin.id,
        uploaded_at=NOW,
        filename="list.csv",
        file_format="csv",
        size=1,
        sha256="0" * 64,
        content=b"x",
        status=ImportBatchStatus.READY,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


APPOINTMENT = {
    "appointed_on": date(2023, 3, 31),
    "term_starts_on": date(2023, 4, 1),
    "term_ends_on": date(2026, 3, 31),
    "certificate_number": "420525-2023-0007",
}


def test_import_step_writes_record_term_and_event(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = _batch(admin)
    record = _new_record(admin, **APPOINTMENT)

    engine.take_import_step(
        Counselor, [record], "import_appointed", admin, import_batch_id=batch.id
    )

    stored = db.session.get(Counselor, record.id)
    assert stored.state is S.APPOINTED
    assert stored.version == 1
    assert stored.state_changed_at == NOW
    assert stored.appointed_on == date(2023, 3, 31)
    term = db.session.scalars(select(CounselorTerm)).one()
    assert term.counselor_id == record.id
    assert term.certificate_status is CertificateStatus.VALID
    assert term.issued_on == date(2023, 3, 31)
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.record_type, event.record_id) == ("counselor", record.id)
    assert (event.action, event.from_state, event.to_state) == (
        "import_appointed",
        "draft",
        "appointed",
    )
    assert (event.actor_id, event.department_id) == (admin.id, admin.department_id)
    assert event.import_batch_id == batch.id
    assert event.created_at == NOW


def test_import_step_event_matches_take_step(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = _batch(admin)
    nominations.create_nomination(
        admin, nomination_values(id_number="420525197806120015", gender="男"), True
    )
    imported = _new_record(admin)

    engine.take_import_step(
        Counselor, [imported], "nominate", admin, import_batch_id=batch.id
    )

    columns = ("record_type", "action", "from_state", "to_state", "comment")
    columns += ("actor_id", "department_id", "created_at")
    form_event, import_event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "nominate")
        .order_by(AuditEvent.id)
    )
    for column in columns:
        assert getattr(import_event, column) == getattr(form_event, column), column
    assert db.session.get(Counselor, imported.id).submitted_at == NOW


def test_import_step_guard_refuses_whole_step(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = _batch(admin)
    good = _new_record(admin, **APPOINTMENT)
    future = _new_record(
        admin,
        **dict(APPOINTMENT, appointed_on=date(2026, 4, 1), certificate_number="x"),
    )

    with pytest.raises(InvalidTransition, match="appointment_recorded") as caught:
        engine.take_import_step(
            Counselor, [good, future], "import_appointed", admin,
            import_batch_id=batch.id,
        )  # fmt: skip

    assert "聘任日期不能晚于今天" in str(caught.value.user_message)
    assert _count(Counselor) == 0
    assert _count(AuditEvent) == 0


def test_import_step_refuses_other_department(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    other = make_user("420526", Role.REGISTRY_ADMIN)
    batch = _batch(admin)

    with pytest.raises(NotPermitted, match="does not own"):
        engine.take_import_step(
            Counselor, [_new_record(other)], "nominate", admin,
            import_batch_id=batch.id,
        )  # fmt: skip

    assert _count(Counselor) == 0


def test_orm_insert_after_import_step_gets_new_id(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = _batch(admin)
    imported = _new_record(admin)
    engine.take_import_step(
        Counselor, [imported], "nominate", admin, import_batch_id=batch.id
    )

    record = nominations.create_nomination(
        admin, nomination_values(id_number="420525197806120015", gender="男"), False
    )

    assert record.id != imported.id
    assert _count(Counselor) == 2


def test_insert_rows_refuses_computed_default(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    row = {"record_type": "counselor", "record_id": 1, "action": "x"}
    row |= {"to_state": "draft", "actor_id": admin.id}
    row |= {"department_id": admin.department_id}

    with pytest.raises(ValueError, match="audit_event.created_at"):
        bulk_insert.insert_rows(AuditEvent.__table__, [row])


def test_ids_taken_meanwhile_are_concurrent_write(make_user, frozen_clock, monkeypatch):
    if db.engine.dialect.name not in ("mysql", "mariadb"):
        pytest.skip("only MariaDB allocates import ids past a shared counter")
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    batch = _batch(admin)
    allocate = engine.allocate_ids

    def allocate_then_take(table, count):
        # Another import read the same counter and committed these ids first.
        ids = allocate(table, count)
        if table is Counselor.__table__:
            other = _new_record(admin)
            values = {key: getattr(other, key) for key in REQUIRED_SCALARS}
            values |= {"id_number": "420525197806120015", "gender": "男"}
            with db.engine.begin() as connection:
                connection.execute(
                    Counselor.__table__.insert(),
                    {
                        **values,
                        "id": ids[0],
                        "department_id": admin.department_id,
                        "state": "NOMINATED",
                        "birth_date": date(1978, 6, 12),
                        "created_at": NOW,
                        "state_changed_at": NOW,
                        "notice_working_days": 5,
                        "term_years": 3,
                    },
                )
        return ids

    monkeypatch.setattr(engine, "allocate_ids", allocate_then_take)

    with pytest.raises(ConcurrentWrite):
        engine.take_import_step(
            Counselor, [_new_record(admin)], "nominate", admin, import_batch_id=batch.id
        )
    db.session.rollback()

    assert _count(Counselor) == 1
    assert _count(AuditEvent) == 0
