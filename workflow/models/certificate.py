"""Per-department yearly counters behind certificate numbers."""

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from workflow.extensions import db


class CertificateSerial(db.Model):
    """The last certificate serial a department issued in a year."""

    __tablename__ = "certificate_serial"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_serial: Mapped[int] = mapped_column(default=0)
