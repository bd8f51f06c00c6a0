"""Yearly supervision evaluations of filed centers and rectification orders."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db

SCORE = Numeric(5, 2)


class SupervisionEvaluation(db.Model):
    """One year's evaluation of a center, with the weights it was scored by.

    The weights and the pass score are copied from the settings when the
    evaluation is made, so later changes to them never rescore it.
    """

    __tablename__ = "supervision_evaluation"
    __table_args__ = (UniqueConstraint("center_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"))
    year: Mapped[int]
    service_quality: Mapped[Decimal] = mapped_column(SCORE)
    management: Mapped[Decimal] = mapped_column(SCORE)
    satisfaction: Mapped[Decimal] = mapped_column(SCORE)
    service_quality_weight: Mapped[int]
    management_weight: Mapped[int]
    satisfaction_weight: Mapped[int]
    total: Mapped[Decimal] = mapped_column(SCORE)
    pass_score: Mapped[int]
    passed: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime]
    evaluated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    evaluated_by = relationship("User")


class Rectification(db.Model):
    """An order to rectify by a deadline, the center's report and the outcome.

    ``outcome`` stays empty while the order is open, then reads accepted,
    revoked or withdrawn.
    """

    __tablename__ = "rectification"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_evaluation.id")
    )
    reason: Mapped[str] = mapped_column(Text)
    ordered_on: Mapped[date]
    deadline: Mapped[date]
    ordered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    report: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(12))
    decided_on: Mapped[date | None]

    evaluation = relationship("SupervisionEvaluation")
