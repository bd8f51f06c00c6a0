"""Writing a checked import plan into the registry, inside the caller's transaction.

New people become records of the importing department: rows describing an
earlier appointment take the engine's ``import_appointed`` step with their
real dates and certificate numbers, the others take ``nominate`` and wait
in the review queue. Known people get their changed fields and an
``import_update`` audit event. Every audit event names the batch.
"""

from sqlalchemy import select

from workflow import clock, engine
from workflow.certificates import reserve_imported_numbers
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.nominations import (
    LOOKUP_CHUNK,
    apply_values,
    new_counselor,
)
from workflow.registry_columns import APPOINTMENT_KEYS
from workflow.registry_import.plan import APPOINT, NOMINATE, UPDATE
from workflow.registry_import.updates import merged_values

# Rows written per flush. After each flush the chunk's objects are
# dropped, so the session never contains a whole province's records at once.
CHUNK_ROWS = 1000


def write_plan(actor, plan, batch):
    """Create and update the records ``plan`` describes; do not commit."""
    now = clock.now()
    certificate_numbers = []
    for start in range(0, len(plan.rows), CHUNK_ROWS):
        chunk = plan.rows[start : start + CHUNK_ROWS]
        appointed = [
            _new_appointed(actor, r, now) for r in chunk if r.action == APPOINT
        ]
        nominated = [
            new_counselor(actor, r.values, r.facts, now)
            for r in chunk
            if r.action == NOMINATE
        ]
        engine.take_import_step(
            Counselor, appointed, "import_appointed", actor, import_batch_id=batch.id
        )
        engine.take_import_step(
            Counselor, nominated, "nominate", actor, import_batch_id=batch.id
        )
        certificate_numbers.extend(record.certificate_number for record in appointed)
        _write_updates(actor, plan, chunk, batch, now)
    reserve_imported_numbers(actor.department, certificate_numbers)


def _new_appointed(actor, row, now):
    record = new_counselor(actor, row.values, row.facts, now)
    for key in APPOINTMENT_KEYS:
        setattr(record, key, row.appointment[key])
    return record


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
