"""Per-department yearly counters behind service-center filing numbers."""

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from workflow.extensions import db


class FilingSerial(db.Model):
    """The last filing serial a department issued in a year."""

    __tablename__ = "filing_serial"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_serial: Mapped[int] = mapped_column(default=0)
