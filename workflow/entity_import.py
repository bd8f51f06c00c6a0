"""Bulk-loading served entities from a CSV file.

The file has a header row with the columns 主体类型, 主体名称,
统一社会信用代码 and 所在区县代码 (six-digit division code). Every row is
checked before anything is written: one bad row rejects the whole file,
and the errors name each bad line. Rows whose credit code is already
registered are skipped, so loading the same file twice adds nothing.
"""

import csv
import logging
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from workflow import clock
from workflow.entities import EntityValues, check_entity
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models.entity import EntityKind, ServedEntity

logger = logging.getLogger(__name__)

COLUMNS = ("主体类型", "主体名称", "统一社会信用代码", "所在区县代码")
KINDS_BY_LABEL = {str(kind.label): kind for kind in EntityKind}
BATCH_SIZE = 5000


@dataclass
class ImportResult:
    """Counts of rows added and skipped, or the errors that stopped the load."""

    added: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)


def import_entities(stream):
    """Load entities from a CSV text stream and commit; return the result."""
    reader = csv.DictReader(stream)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        return ImportResult(errors=[f"缺少列：{'、'.join(missing)}"])
    result = ImportResult()
    rows = _checked_rows(reader, result)
    if result.errors:
        return result
    fresh = _unregistered(rows, result)
    _insert(fresh)
    result.added = len(fresh)
    logger.info("entity import: %s added, %s skipped", result.added, result.skipped)
    return result


def _checked_rows(reader, result):
    rows, codes = [], set()
    for line, row in enumerate(reader, start=2):
        try:
            values = _row_values(row)
        except DomainValidationError as error:
            result.errors.append(f"第{line}行：{error.user_message}")
            continue
        if values.credit_code and values.credit_code in codes:
            result.errors.append(f"第{line}行：统一社会信用代码在文件中重复。")
            continue
        codes.add(values.credit_code)
        rows.append(values)
    return rows


def _row_values(row):
    label = (row["主体类型"] or "").strip()
    if label not in KINDS_BY_LABEL:
        raise DomainValidationError(
            "kind",
            f"unknown entity kind {label!r}",
            f"主体类型应为{'、'.join(KINDS_BY_LABEL)}之一。",
        )
    return check_entity(
        EntityValues(
            KINDS_BY_LABEL[label],
            row["主体名称"],
            row["统一社会信用代码"],
            (row["所在区县代码"] or "").strip(),
        )
    )


def _unregistered(rows, result):
    codes = [row.credit_code for row in rows if row.credit_code]
    known = set()
    for start in range(0, len(codes), BATCH_SIZE):
        known.update(
            db.session.scalars(
                select(ServedEntity.credit_code).where(
                    ServedEntity.credit_code.in_(codes[start : start + BATCH_SIZE])
                )
            )
        )
    fresh = [row for row in rows if not row.credit_code or row.credit_code not in known]
    result.skipped = len(rows) - len(fresh)
    return fresh


def _insert(rows):
    now = clock.now()
    try:
        for start in range(0, len(rows), BATCH_SIZE):
            db.session.execute(
                insert(ServedEntity),
                [
                    {
                        "kind": row.kind,
                        "name": row.name,
                        "credit_code": row.credit_code,
                        "county_code": row.county_code,
                        "created_at": now,
                    }
                    for row in rows[start : start + BATCH_SIZE]
                ],
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
