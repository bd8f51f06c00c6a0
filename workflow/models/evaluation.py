"""Evaluation rounds and each counselor's entry in one."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db
from workflow.states.evaluation import (
    EVALUATION_ROUND_WORKFLOW,
    EvaluationRoundState,
)


class EvaluationRound(db.Model):
    """One department's evaluation of its counselors for one year.

    The indicator weights and grade cut-offs in force when the round opens
    are copied onto it, so changing the settings never re-grades a round
    under way.
    """

    __tablename__ = "evaluation_round"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[EvaluationRoundState] = mapped_column(
        Enum(EvaluationRoundState, native_enum=False, length=12),
        default=EvaluationRoundState.OPENED,
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int]
    # [[indicator key, weight], ...] and [[grade, lowest total], ...].
    weights: Mapped[list] = mapped_column(JSON)
    grade_cutoffs: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    state_changed_at: Mapped[datetime] = mapped_column(default=datetime.now)
    # The last day to finish evaluating, inclusive. Rounds opened before the
    # column existed have none and get no deadline reminders.
    deadline: Mapped[date | None]

    department = relationship("Department")
    entries: Mapped[list["EvaluationEntry"]] = relationship(
        back_populates="round", order_by="EvaluationEntry.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __workflow__ = EVALUATION_ROUND_WORKFLOW

    def __repr__(self):
        return f"<EvaluationRound {self.department_id}/{self.year} {self.state.value}>"

    @property
    def failing_grade(self):
        """Return the lowest grade, the one that blocks renewal."""
        return self.grade_cutoffs[-1][0]

    def count_missing_self_assessments(self):
        """Return how many entries still lack a self-assessment."""
        return self._count(EvaluationEntry.self_assessed_at.is_(None))

    def count_unscored(self):
        """Return how many entries have no score yet."""
        return self._count(EvaluationEntry.total.is_(None))

    def _count(self, condition):
        return db.session.scalar(
            select(func.count())
            .select_from(EvaluationEntry)
            .where(EvaluationEntry.round_id == self.id, condition)
        )


class EvaluationEntry(db.Model):
    """One counselor's self-assessment, indicator scores and grade in a round.

    ``figures`` keeps the computed figures the reviewer saw when scoring and
    ``indicator_scores`` the 0–100 score given per indicator; ``total`` is
    their weighted mean. ``term_id`` is the term the evaluated year falls
    in, which renewal checks for a failing grade.
    """

    __tablename__ = "evaluation_entry"
    __table_args__ = (UniqueConstraint("round_id", "counselor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_round.id"))
    counselor_id: Mapped[int] = mapped_column(ForeignKey("counselor.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("counselor_term.id"))

    self_assessment: Mapped[str | None] = mapped_column(Text)
    self_score: Mapped[int | None]
    self_assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    self_assessed_at: Mapped[datetime | None]

    figures: Mapped[dict | None] = mapped_column(JSON)
    indicator_scores: Mapped[dict | None] = mapped_column(JSON)
    total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    grade: Mapped[str | None] = mapped_column(String(10))
    failed: Mapped[bool] = mapped_column(default=False)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    scored_at: Mapped[datetime | None]

    round: Mapped[EvaluationRound] = relationship(back_populates="entries")
    counselor = relationship("Counselor")
    self_assessed_by = relationship("User", foreign_keys=[self_assessed_by_id])
    scored_by = relationship("User", foreign_keys=[scored_by_id])

    def __repr__(self):
        return f"<EvaluationEntry {self.id} round {self.round_id}>"
