"""Import batches: store an upload with its check, list them, commit one.

The web page and the ``flask registry import`` command both call these
functions, so the two channels check and write exactly the same way.
An upload that fails as a whole (not a spreadsheet, too large, no header)
is refused before anything is stored. An upload whose rows have problems
is stored with its report so the user can download the annotated copy; it
cannot be committed. Commit checks the stored file again, because the
registry may have changed since the upload, and writes every row or none.
"""

import functools
import gc
import hashlib
import json
import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from workflow import clock
from workflow.errors import (
    DuplicateActiveRecord,
    NotPermitted,
    RecordNotFound,
    WorkflowError,
)
from workflow.extensions import db
from workflow.jurisdiction import visible_records
from workflow.models.import_batch import ImportBatch, ImportBatchStatus
from workflow.nominations import check_may_nominate
from workflow.registry_import.committing import write_plan
from workflow.registry_import.files import Limits
from workflow.registry_import.plan import APPOINT, NOMINATE, UNCHANGED, UPDATE
from workflow.registry_import.report import plan_report
from workflow.registry_import.validating import plan_import

logger = logging.getLogger(__name__)


class ImportRejected(WorkflowError):
    """A stored batch cannot be committed; ``user_message`` gives the reason."""


def limits():
    """Return the upload limits of the running app."""
    return Limits.from_config(current_app.config)


def _cycle_collection_paused(function):
    # A plan holds millions of small objects (a dict and a few lists per
    # row), and each of Python's full cycle collections walks them all:
    # on a 30,000-row import they cost about a sixth of the time. Plain
    # reference counting still frees everything the import drops. The
    # pause is process-wide, so other threads run without the cycle
    # collector for the seconds an import takes.
    @functools.wraps(function)
    def paused(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_cycle_collection_paused
def upload(actor, filename, content, *, commit=False):
    """Check an uploaded file for ``actor``'s department and store it.

    With ``commit``, a file without problems is also written to the
    registry in the same transaction, from the same check (the CLI's
    ``--commit``). Returns the stored ``ImportBatch``. Raises
    ``NotPermitted`` for a user who may not enter records and
    ``FileRejected`` for a file that cannot be imported at all; neither
    stores anything.
    """
    check_may_nominate(actor)
    plan = plan_import(actor, content, filename, limits())
    digest = hashlib.sha256(content).hexdigest()
    earlier = _earlier_commit(actor, digest)
    batch = ImportBatch(
        department_id=actor.department_id,
        uploaded_by_id=actor.id,
        uploaded_at=clock.now(),
        filename=filename[-255:],
        file_format=plan.layout.file_format,
        size=len(content),
        sha256=digest,
        content=content,
        template_version=plan.layout.template_version,
    )
    _record_plan(batch, plan, earlier)
    try:
        db.session.add(batch)
        if commit and plan.is_valid:
            db.session.flush()
            _write(actor, plan, batch)
        db.session.commit()
    except DuplicateActiveRecord as error:
        db.session.rollback()
        raise _entered_meanwhile(error, actor, filename) from error
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "import batch %s uploaded by user %s: %d rows, %d problems",
        batch.id,
        actor.id,
        batch.row_count,
        batch.problem_count,
    )
    return batch


def _earlier_commit(actor, digest):
    return db.session.scalars(
        select(ImportBatch)
        .where(
            ImportBatch.department_id == actor.department_id,
            ImportBatch.sha256 == digest,
            ImportBatch.status == ImportBatchStatus.COMMITTED,
        )
        .order_by(ImportBatch.id.desc())
        .limit(1)
    ).first()


def _record_plan(batch, plan, earlier=None):
    counts = plan.counts()
    batch.status = (
        ImportBatchStatus.READY if plan.is_valid else ImportBatchStatus.INVALID
    )
    batch.row_count = counts["rows"]
    batch.problem_count = counts["problems"]
    batch.nomination_count = counts[NOMINATE]
    batch.appointed_count = counts[APPOINT]
    batch.update_count = counts[UPDATE]
    batch.unchanged_count = counts[UNCHANGED]
    batch.report = json.dumps(plan_report(plan, earlier), ensure_ascii=False)


def report(batch):
    """Return the stored validation report of ``batch`` as a dict."""
    return json.loads(batch.report)


@_cycle_collection_paused
def commit_batch(actor, batch_id):
    """Write every row of a stored batch into the registry, or none.

    Raises ``ImportRejected`` when the batch was committed already or when
    checking the file again finds problems. In the second case the batch
    stores the new report and the registry is left untouched.
    """
    check_may_nominate(actor)
    batch = load_own_batch(actor, batch_id)
    if batch.status is not ImportBatchStatus.READY:
        raise ImportRejected(
            f"batch {batch_id} is {batch.status.value}",
            _l("该批次当前状态为“%(status)s”，不能导入。", status=batch.status.label),
        )
    plan = plan_import(actor, batch.content, batch.filename, limits())
    if not plan.is_valid:
        _record_plan(batch, plan)
        db.session.commit()
        raise ImportRejected(
            f"batch {batch_id} has {len(plan.problems)} problems now",
            _l("名录已有变化，重新校验发现问题，未导入任何数据。请查看问题清单。"),
        )
    try:
        _claim(batch)
        _record_plan(batch, plan)
        _write(actor, plan, batch)
        db.session.commit()
    except DuplicateActiveRecord as error:
        db.session.rollback()
        raise _entered_meanwhile(error, actor, f"batch {batch_id}") from error
    except Exception:
        db.session.rollback()
        raise
    return batch


ENTERED_MEANWHILE = _l(
    "导入时其他用户刚录入了文件中的部分人员，为避免重复，未导入任何数据。"
    "请重新导入，校验结果会列出这些人员。"
)


def _entered_meanwhile(error, actor, upload):
    # The checks before the write found no active record for these people,
    # but another user's record for one of them committed before ours.
    logger.info("import of %s by user %s rejected: %s", upload, actor.id, error)
    return ImportRejected(str(error), ENTERED_MEANWHILE)


def _write(actor, plan, batch):
    write_plan(actor, plan, batch)
    batch.status = ImportBatchStatus.COMMITTED
    batch.committed_at = clock.now()
    batch.committed_by_id = actor.id
    logger.info(
        "import batch %s committed by user %s: %d appointed, %d nominated, %d updated",
        batch.id,
        actor.id,
        batch.appointed_count,
        batch.nomination_count,
        batch.update_count,
    )


def _claim(batch):
    # A conditional UPDATE, so two commits of one batch cannot both write.
    result = db.session.execute(
        update(ImportBatch)
        .where(
            ImportBatch.id == batch.id,
            ImportBatch.status == ImportBatchStatus.READY,
        )
        .values(status=ImportBatchStatus.COMMITTED)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ImportRejected(
            f"batch {batch.id} was committed by someone else",
            _l("该批次已由他人导入。"),
        )


def load_batch(actor, batch_id):
    """Return a batch of ``actor``'s department or one below it."""
    batch = db.session.scalars(
        visible_records(actor, ImportBatch).where(ImportBatch.id == batch_id)
    ).first()
    if batch is None:
        raise RecordNotFound(f"import batch {batch_id} not visible to {actor.id}")
    return batch


def load_own_batch(actor, batch_id):
    """Return a batch of ``actor``'s own department, or raise."""
    batch = load_batch(actor, batch_id)
    if batch.department_id != actor.department_id:
        raise NotPermitted(f"user {actor.id} does not own import batch {batch_id}")
    return batch


def list_batches(actor, limit=100):
    """Return the latest batches in ``actor``'s jurisdiction, newest first."""
    return db.session.scalars(
        visible_records(actor, ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    ).all()
