"""The versioned UPDATE that writes a step's changes to its record."""

from datetime import datetime

import pytest
from sqlalchemy import event, inspect, select
from sqlalchemy.orm.exc import StaleDataError

from workflow import engine, record_changes
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.models.counselor import CounselorWorkArea
from workflow.states.counselor import CounselorState as S


@pytest.fixture
def statements():
    """Collect the SQL the database receives while the test runs."""
    sent = []

    def collect(_connection, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    yield sent
    event.remove(db.engine, "before_cursor_execute", collect)


def _audit_row(record, actor, action):
    return {
        "record_type": "counselor",
        "record_id": record.id,
        "action": action,
        "from_state": None,
        "to_state": record.state.value,
        "comment": None,
        "actor_id": actor.id,
        "department_id": actor.department_id,
        "import_batch_id": None,
        "created_at": datetime(2026, 3, 2, 9, 0),
    }


def _audit_actions(record_id):
    return db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id)
    ).all()


def _database_row(record_id):
    return db.session.execute(
        select(Counselor.state, Counselor.version).where(Counselor.id == record_id)
    ).one()


def test_step_is_written_once_and_session_matches_row(
    make_user, make_counselor, statements
):
    reviewer = make_user("420525", Role.REVIEWER)
    record_id = make_counselor("420525", S.NOMINATED).id

    record = engine.take_step(Counselor, record_id, "start_review", reviewer)
    written = len(statements)
    db.session.commit()

    updates = [text for text in statements if "UPDATE counselor" in text]
    assert len(updates) == 1
    assert not any("UPDATE" in text for text in statements[written:])
    assert not inspect(record).modified
    assert _database_row(record_id) == (S.UNDER_REVIEW, 2)


def test_two_steps_in_one_transaction_raise_version_twice(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    record_id = make_counselor("420525", S.NOMINATED).id

    engine.take_step(Counselor, record_id, "start_review", reviewer)
    record = engine.take_step(
        Counselor, record_id, "return_for_revision", reviewer, comment="缺照片"
    )
    db.session.commit()

    assert (record.state, record.version) == (S.RETURNED, 3)
    assert _database_row(record_id) == (S.RETURNED, 3)
    assert _audit_actions(record_id) == ["start_review", "return_for_revision"]


def test_row_changed_since_load_is_stale(app, make_user, make_counselor):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = make_counselor("420525", S.NOMINATED)
    assert record.version == 1
    with app.app_context():
        other = db.session.get(Counselor, record.id)
        other.state = S.UNDER_REVIEW
        db.session.commit()

    # Reading the admin after the commit would flush the change below.
    row = _audit_row(record, admin, "withdraw")
    record.state = S.WITHDRAWN
    with pytest.raises(StaleDataError, match="no longer at version 1"):
        record_changes.save(record, AuditEvent.__table__, row)
    db.session.rollback()

    assert _database_row(record.id) == (S.UNDER_REVIEW, 2)
    assert _audit_actions(record.id) == []


def test_changed_collection_goes_through_the_orm(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    record = make_counselor("420525", S.NOMINATED)
    row = _audit_row(record, reviewer, "start_review")
    record.state = S.UNDER_REVIEW
    record.work_area_rows.append(CounselorWorkArea(work_area="9"))

    record_changes.save(record, AuditEvent.__table__, row)
    db.session.commit()

    assert _database_row(record.id) == (S.UNDER_REVIEW, 2)
    assert _audit_actions(record.id) == ["start_review"]
    areas = db.session.scalars(
        select(CounselorWorkArea.work_area).where(
            CounselorWorkArea.counselor_id == record.id
        )
    ).all()
    assert "9" in areas
