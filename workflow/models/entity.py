"""Served entities (新型农业经营主体): cooperatives, their unions, family farms."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.extensions import db


class EntityKind(enum.Enum):
    """What kind of new-type agricultural business an entity is."""

    COOPERATIVE = "cooperative"
    UNION = "union"
    FAMILY_FARM = "family_farm"

    @property
    def label(self):
        return ENTITY_KIND_LABELS[self]

    @property
    def needs_credit_code(self):
        """Return whether entities of this kind must carry a credit code.

        Cooperatives and their unions are registered legal persons; many
        family farms are not registered and have no code.
        """
        return self is not EntityKind.FAMILY_FARM


ENTITY_KIND_LABELS = {
    EntityKind.COOPERATIVE: _l("农民合作社"),
    EntityKind.UNION: _l("农民合作社联合社"),
    EntityKind.FAMILY_FARM: _l("家庭农场"),
}


class ServedEntity(db.Model):
    """A cooperative, union of cooperatives or family farm that counselors serve.

    Entities are shared by every department: a counselor may serve one in
    another county. Look-ups go by credit code (unique index) or by name,
    nationally by prefix or within a county.
    """

    __tablename__ = "served_entity"
    __table_args__ = (
        Index("ix_served_entity_county_name", "county_code", "name"),
        Index(
            "ix_served_entity_name",
            "name",
            postgresql_ops={"name": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntityKind] = mapped_column(
        Enum(EntityKind, native_enum=False, length=12)
    )
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    county_code: Mapped[str] = mapped_column(String(6))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    def __repr__(self):
        return f"<ServedEntity {self.id} {self.kind.value}>"
