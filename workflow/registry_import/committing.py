"""Writing a checked import plan into the registry, inside the caller's transaction.

New people become records of the importing department: rows describing an
earlier appointment take the engine's ``import_appointed`` step with their
real dates and certificate numbers, the others take ``nominate`` and wait
in the review queue. Known people get their changed fields and an
``import_update`` audit event. Every audit event names the batch.
"""

from flask import current_app
from sqlalchemy import select

from workflow import clock, engine
from workflow.bulk_insert import insert_rows
from workflow.certificates import reserve_imported_numbers
from workflow.extensions import db
from workflow.models.counselor import (
    Counselor,
    CounselorIndustry,
    CounselorServiceArea,
    CounselorWorkArea,
)
from workflow.nominations import FIELDS, LOOKUP_CHUNK, apply_values
from workflow.registry_columns import APPOINTMENT_KEYS
from workflow.registry_import.plan import APPOINT, NOMINATE, UPDATE
from workflow.registry_import.updates import merged_values
from workflow.states.counselor import CounselorState

# Rows written per round of INSERTs. Each chunk's parameters are built and
# dropped in turn, so memory never contains a whole province's rows as SQL
# parameters at once.
CHUNK_ROWS = 1000
# The multi-valued fields and the child table, value key and column of each.
LIST_TABLES = (
    (CounselorWorkArea.__table__, "work_areas", "work_area"),
    (CounselorIndustry.__table__, "industries", "industry"),
    (CounselorServiceArea.__table__, "service_area_codes", "division_code"),
)
SCALAR_FIELDS = tuple(
    key for key in FIELDS if key not in {key for _, key, _ in LIST_TABLES}
)


def write_plan(actor, plan, batch):
    """Create and update the records ``plan`` describes; do not commit."""
    now = clock.now()
    settings = _record_settings(actor, now)
    certificate_numbers = []
    for start in range(0, len(plan.rows), CHUNK_ROWS):
        chunk = plan.rows[start : start + CHUNK_ROWS]
        for action, trigger in ((APPOINT, "import_appointed"), (NOMINATE, "nominate")):
            rows = [row for row in chunk if row.action == action]
            records = [_new_record(row, settings) for row in rows]
            engine.take_import_step(
                Counselor, records, trigger, actor, import_batch_id=batch.id
            )
            _insert_list_rows(records, rows)
            if action == APPOINT:
                certificate_numbers.extend(r.certificate_number for r in records)
        _write_updates(actor, plan, chunk, batch, now)
    reserve_imported_numbers(actor.department, certificate_numbers)


def _record_settings(actor, now):
    # The columns every new record of this import shares, as
    # ``nominations.new_counselor`` sets them for a form's record.
    return {
        "department": actor.department,
        "department_id": actor.department_id,
        "created_by_id": actor.id,
        "created_at": now,
        "state": CounselorState.DRAFT,
        "state_changed_at": now,
        "notice_working_days": current_app.config["PUBLIC_NOTICE_WORKING_DAYS"],
        "term_years": current_app.config["TERM_YEARS"],
    }


def _new_record(row, settings):
    record = engine.NewRecord(**settings, birth_date=row.facts.birth_date)
    for key in SCALAR_FIELDS:
        setattr(record, key, row.values.get(key))
    if row.appointment:
        for key in APPOINTMENT_KEYS:
            setattr(record, key, row.appointment[key])
    return record


def _insert_list_rows(records, rows):
    for table, key, column in LIST_TABLES:
        values = [
            {"counselor_id": record.id, column: value}
            for record, row in zip(records, rows, strict=True)
            for value in row.values[key]
        ]
        insert_rows(table, values)


def _write_updates(actor, plan, chunk, batch, now):
    rows = [row for row in chunk if row.action == UPDATE]
    if not rows:
        return
    positions = {column.key for column in plan.layout.columns.values()}
    records = _load_for_update([row.record_id for row in rows])
    for row in rows:
        record = records[row.record_id]
        apply_values(record, merged_values(row, record, positions), row.facts)
        comment = "、".join(label for label, _before, _after in row.changes)
        engine.record_event(
            record,
            actor,
            "import_update",
            record.state,
            now,
            comment,
            import_batch_id=batch.id,
        )
    db.session.flush()


def _load_for_update(record_ids):
    records = {}
    for start in range(0, len(record_ids), LOOKUP_CHUNK):
        query = (
            select(Counselor)
            .where(Counselor.id.in_(record_ids[start : start + LOOKUP_CHUNK]))
            .with_for_update(of=Counselor)
        )
        records.update((record.id, record) for record in db.session.scalars(query))
    return records
