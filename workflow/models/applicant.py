"""Organisations that register themselves to apply for service-center filing."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class ApplicantOrganisation(db.Model):
    """An organisation with its own applicant account.

    One organisation per unified social credit code. The account may sign
    in only after the contact email has been confirmed through the link
    sent to it; ``confirmation_token_hash`` stores the SHA-256 of that link's
    token until it is used.
    """

    __tablename__ = "applicant_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    contact_person: Mapped[str] = mapped_column(String(30))
    contact_phone: Mapped[str] = mapped_column(String(11))
    email: Mapped[str] = mapped_column(String(120))
    email_confirmed_at: Mapped[datetime | None]
    confirmation_token_hash: Mapped[str | None] = mapped_column(String(64))
    confirmation_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    users = relationship("User", back_populates="organisation")

    def __repr__(self):
        return f"<ApplicantOrganisation {self.id} {self.credit_code}>"

    @property
    def is_confirmed(self):
        return self.email_confirmed_at is not None
