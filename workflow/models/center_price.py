"""The public price list of a service center and the history of its changes."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db

# Yuan with two decimal places; the largest price is 99,999,999.99.
PRICE = Numeric(10, 2)


class CenterPrice(db.Model):
    """One item of a center's current price list."""

    __tablename__ = "center_price"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    item: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20))
    price: Mapped[Decimal] = mapped_column(PRICE)


class CenterPriceChange(db.Model):
    """A published price: set at filing, changed, or withdrawn afterwards.

    ``old_price`` is empty for an item published for the first time and
    ``new_price`` is empty for an item taken off the list.
    """

    __tablename__ = "center_price_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    item: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20))
    old_price: Mapped[Decimal | None] = mapped_column(PRICE)
    new_price: Mapped[Decimal | None] = mapped_column(PRICE)
    changed_at: Mapped[datetime]
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    changed_by = relationship("User")
