"""Uploaded registry spreadsheets and what became of them."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from workflow.extensions import db
from workflow.mariadb import LONG_BINARY, LONG_TEXT


class ImportBatchStatus(enum.Enum):
    """The status of an uploaded file: checked, rejected or written."""

    READY = "ready"
    INVALID = "invalid"
    COMMITTED = "committed"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ImportBatchStatus.READY: _l("校验通过，待导入"),
    ImportBatchStatus.INVALID: _l("有错误，未导入"),
    ImportBatchStatus.COMMITTED: _l("已导入"),
}


class ImportBatch(db.Model):
    """One uploaded spreadsheet: the original file, its hash and the outcome.

    Every record the batch creates or changes has an audit event pointing
    here. ``report`` contains the validation summary shown on the preview page
    as JSON; the full list of problems is rebuilt from ``content``.
    """

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_department", "department_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime]
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = deferred(mapped_column(LONG_BINARY))
    template_version: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ImportBatchStatus] = mapped_column(
        Enum(ImportBatchStatus, native_enum=False, length=12)
    )
    row_count: Mapped[int] = mapped_column(default=0)
    problem_count: Mapped[int] = mapped_column(default=0)
    nomination_count: Mapped[int] = mapped_column(default=0)
    appointed_count: Mapped[int] = mapped_column(default=0)
    update_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    report: Mapped[str] = deferred(mapped_column(LONG_TEXT))
    committed_at: Mapped[datetime | None]
    committed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    department = relationship("Department")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
    committed_by = relationship("User", foreign_keys=[committed_by_id])

    def __repr__(self):
        return f"<ImportBatch {self.id} {self.status.value}>"
