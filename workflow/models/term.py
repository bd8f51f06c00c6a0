"""Terms of appointment and the certificate issued for each."""

import enum
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow import clock
from workflow.extensions import db


class CertificateStatus(enum.Enum):
    """Whether a certificate still attests an appointment."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self):
        return CERTIFICATE_STATUS_LABELS[self]


CERTIFICATE_STATUS_LABELS = {
    CertificateStatus.VALID: _l("有效"),
    CertificateStatus.EXPIRED: _l("已失效"),
    CertificateStatus.REVOKED: _l("已撤销"),
}


class CounselorTerm(db.Model):
    """One term of a counselor's appointment, numbered from 1.

    Appointment opens the first term; each renewal or reinstatement opens
    the next with a new certificate number. ``ended_on`` is set when the
    term ends early or the counselor leaves; rows are never deleted.
    """

    __tablename__ = "counselor_term"
    __table_args__ = (UniqueConstraint("counselor_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("counselor.id"), index=True)
    number: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    ended_on: Mapped[date | None]
    certificate_number: Mapped[str] = mapped_column(String(20), unique=True)
    certificate_status: Mapped[CertificateStatus] = mapped_column(
        Enum(CertificateStatus, native_enum=False, length=10),
        default=CertificateStatus.VALID,
    )
    issued_on: Mapped[date]
    counselor = relationship("Counselor")

    def __repr__(self):
        return f"<CounselorTerm {self.counselor_id}#{self.number}>"

    @property
    def last_day(self):
        """Return the last day the term actually covered or will cover."""
        return self.ended_on or self.ends_on

    @property
    def current_status(self):
        """Return the certificate's status today.

        A valid certificate whose term has passed reads as expired, because
        nothing rewrites the stored status when a term simply runs out.
        """
        if (
            self.certificate_status is CertificateStatus.VALID
            and clock.now().date() > self.last_day
        ):
            return CertificateStatus.EXPIRED
        return self.certificate_status

    def covers(self, day):
        """Return whether ``day`` falls inside this term."""
        return self.starts_on <= day <= self.last_day
