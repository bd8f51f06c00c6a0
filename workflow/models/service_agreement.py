"""Service agreements of a filed center and the service records under them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class ServiceAgreement(db.Model):
    """The terms a center agreed with one served entity, with the signed scan."""

    __tablename__ = "service_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    entity_name: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(10))
    entity_credit_code: Mapped[str | None] = mapped_column(String(18))
    service_items: Mapped[str] = mapped_column(Text)
    service_manner: Mapped[str] = mapped_column(Text)
    quality_standard: Mapped[str] = mapped_column(Text)
    acceptance_terms: Mapped[str] = mapped_column(Text)
    breach_liability: Mapped[str] = mapped_column(Text)
    period_starts_on: Mapped[date]
    period_ends_on: Mapped[date]
    fee: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    signed_on: Mapped[date]
    scan_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    center = relationship("ServiceCenter")
    scan = relationship("Attachment")


class CenterServiceRecord(db.Model):
    """One service a center's staff member gave under an agreement."""

    __tablename__ = "center_service_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("service_agreement.id"), index=True
    )
    served_on: Mapped[date]
    work_area: Mapped[str] = mapped_column(String(10))
    performed_by: Mapped[str] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    satisfaction: Mapped[int]
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    agreement = relationship("ServiceAgreement")
