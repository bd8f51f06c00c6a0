"""Figures computed from a counselor's records for one year.

The registry's "number and type of entities served" and the figures shown
beside each indicator when a reviewer scores an evaluation both come from
here, so the two always agree.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import distinct, extract, func, select

from workflow.extensions import db
from workflow.models.activity import ServiceRecord, TrainingRecord
from workflow.models.entity import EntityKind, ServedEntity


@dataclass(frozen=True)
class YearFigures:
    """Totals of a counselor's service and training records for one year."""

    entities_served: int
    cooperatives: int
    unions: int
    family_farms: int
    service_records: int
    average_satisfaction: float | None
    training_hours: float
    timely_share: float | None

    def as_dict(self):
        """Return the figures as plain JSON-ready values."""
        return asdict(self)


def _year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def entities_served(counselor_ids, year):
    """Return ``{counselor_id: {EntityKind: distinct entities}}`` for ``year``."""
    first, last = _year_bounds(year)
    rows = db.session.execute(
        select(
            ServiceRecord.counselor_id,
            ServedEntity.kind,
            func.count(distinct(ServiceRecord.entity_id)),
        )
        .join(ServedEntity, ServiceRecord.entity_id == ServedEntity.id)
        .where(
            ServiceRecord.counselor_id.in_(list(counselor_ids)),
            ServiceRecord.served_on.between(first, last),
        )
        .group_by(ServiceRecord.counselor_id, ServedEntity.kind)
    )
    counts = {}
    for counselor_id, kind, number in rows:
        counts.setdefault(counselor_id, {})[kind] = number
    return counts


def entities_served_by_year(counselor_id):
    """Return ``[(year, {EntityKind: distinct entities})]``, latest year first."""
    year = extract("year", ServiceRecord.served_on)
    rows = db.session.execute(
        select(year, ServedEntity.kind, func.count(distinct(ServiceRecord.entity_id)))
        .join(ServedEntity, ServiceRecord.entity_id == ServedEntity.id)
        .where(ServiceRecord.counselor_id == counselor_id)
        .group_by(year, ServedEntity.kind)
    )
    by_year = {}
    for served_year, kind, number in rows:
        by_year.setdefault(int(served_year), {})[kind] = number
    return sorted(by_year.items(), reverse=True)


def year_figures(counselor_id, year, timely_days):
    """Return the figures of one counselor's ``year``.

    A service record counts as timely when it was entered no more than
    ``timely_days`` days after the service.
    """
    first, last = _year_bounds(year)
    kinds = entities_served([counselor_id], year).get(counselor_id, {})
    services = db.session.execute(
        select(
            ServiceRecord.served_on,
            ServiceRecord.created_at,
            ServiceRecord.satisfaction,
        ).where(
            ServiceRecord.counselor_id == counselor_id,
            ServiceRecord.served_on.between(first, last),
        )
    ).all()
    hours = db.session.scalar(
        select(func.coalesce(func.sum(TrainingRecord.hours), 0)).where(
            TrainingRecord.counselor_id == counselor_id,
            TrainingRecord.trained_on.between(first, last),
        )
    )
    return YearFigures(
        entities_served=sum(kinds.values()),
        cooperatives=kinds.get(EntityKind.COOPERATIVE, 0),
        unions=kinds.get(EntityKind.UNION, 0),
        family_farms=kinds.get(EntityKind.FAMILY_FARM, 0),
        service_records=len(services),
        average_satisfaction=_average(s.satisfaction for s in services),
        training_hours=float(Decimal(hours)),
        timely_share=_timely_share(services, timely_days),
    )


def _average(values):
    values = list(values)
    if not values:
        return None
    return round(sum(values) / len(values), 2)


def _timely_share(services, timely_days):
    if not services:
        return None
    limit = timedelta(days=timely_days)
    timely = sum(1 for s in services if s.created_at.date() - s.served_on <= limit)
    return round(100 * timely / len(services), 1)
