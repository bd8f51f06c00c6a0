"""The versioned UPDATE that writes a step's changes to its record."""

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

    updates = [text for text in statements if text.startswith("UPDATE counselor")]
    assert len(updates) == 1
    assert not any(text.startswith("UPDATE") for text in statements[written:])
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
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == record_id)
    ).all()
    assert sorted(events) == ["return_for_revision", "start_review"]


def test_row_changed_since_load_is_stale(app, make_counselor):
    record = make_counselor("420525", S.NOMINATED)
    assert record.version == 1
    with app.app_context():
        other = db.session.get(Counselor, record.id)
        other.state = S.UNDER_REVIEW
        db.session.commit()

    record.state = S.WITHDRAWN
    with pytest.raises(StaleDataError, match="no longer at version 1"):
        record_changes.save(record)
    db.session.rollback()

    assert _database_row(record.id) == (S.UNDER_REVIEW, 2)


def test_changed_collection_goes_through_the_orm(make_counselor):
    record = make_counselor("420525", S.NOMINATED)
    record.state = S.UNDER_REVIEW
    record.work_area_rows.append(CounselorWorkArea(work_area="9"))

    record_changes.save(record)
    db.session.commit()

    assert _database_row(record.id) == (S.UNDER_REVIEW, 2)
    areas = db.session.scalars(
        select(CounselorWorkArea.work_area).where(
            CounselorWorkArea.counselor_id == record.id
        )
    ).all()
    assert "9" in areas
