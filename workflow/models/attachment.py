"""Files uploaded for a service center: application papers and agreement scans."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class Attachment(db.Model):
    """One stored file; the bytes live outside the web root under ``stored_name``.

    ``stored_name`` is generated (random hex plus the extension of the
    detected type); ``original_name`` is only shown and used as the
    download name.
    """

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    original_name: Mapped[str] = mapped_column(String(120))
    stored_name: Mapped[str] = mapped_column(String(40), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime]
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    center = relationship("ServiceCenter", back_populates="attachments")
    uploaded_by = relationship("User")
