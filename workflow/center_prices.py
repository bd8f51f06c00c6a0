"""A center's public price list: parsing, updating and its history.

Prices are yuan with at most two decimal places and never negative. While
an application is a draft the list is simply replaced. From filing on,
every change is published: filing publishes the whole list, and each later
edit appends one history row per item added, repriced or withdrawn.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from workflow import clock, engine
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.jurisdiction import load_own_record
from workflow.models.center_price import CenterPrice, CenterPriceChange
from workflow.models.service_center import ServiceCenter
from workflow.states.service_center import FILED_STATES

logger = logging.getLogger(__name__)

MAX_PRICE = Decimal("99999999.99")


@dataclass(frozen=True)
class PriceRow:
    """One checked line of a price list."""

    item: str
    unit: str
    price: Decimal


def parse_price_list(rows, field="prices"):
    """Return ``rows`` of ``(item, unit, price text)`` as checked ``PriceRow``s.

    Blank lines are skipped. Raises ``DomainValidationError`` naming the
    first line whose price is missing, not a number, negative or has more
    than two decimals, or whose item repeats an earlier one.
    """
    parsed = []
    seen = {}
    for number, (item, unit, price_text) in enumerate(rows, start=1):
        item, unit = (item or "").strip(), (unit or "").strip()
        price_text = (price_text or "").strip()
        if not (item or unit or price_text):
            continue
        if not item or not unit:
            raise _line_error(
                field, number, "item or unit missing", _l("请填写服务项目和计价单位")
            )
        if item in seen:
            raise _line_error(
                field,
                number,
                f"item {item!r} repeated",
                _l("服务项目与第 %(other)s 行重复", other=seen[item]),
            )
        seen[item] = number
        parsed.append(PriceRow(item, unit, _parse_price(price_text, field, number)))
    if not parsed:
        raise DomainValidationError(
            field, "price list is empty", _l("请至少填写一项服务价格。")
        )
    return parsed


def _parse_price(text, field, number):
    try:
        price = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite():
        raise _line_error(
            field,
            number,
            f"price {text!r} is not a number",
            _l("价格“%(text)s”不是有效的数字", text=text),
        )
    if price < 0:
        raise _line_error(
            field, number, f"price {text} is negative", _l("价格不能为负数")
        )
    if price != price.quantize(Decimal("0.01")) or price > MAX_PRICE:
        raise _line_error(
            field,
            number,
            f"price {text} has more than 2 decimals or is too large",
            _l("价格最多保留两位小数，且不超过 99999999.99 元"),
        )
    return price.quantize(Decimal("0.01"))


def _line_error(field, number, detail, message):
    return DomainValidationError(
        field,
        f"price list line {number}: {detail}",
        _l("价格表第 %(number)s 行：%(message)s。", number=number, message=message),
    )


def replace_price_list(center, rows):
    """Set ``center``'s price list to ``rows`` without writing history."""
    center.prices = [
        CenterPrice(position=index, item=row.item, unit=row.unit, price=row.price)
        for index, row in enumerate(rows)
    ]


def publish_price_list(center, actor, now):
    """Write the whole current list to the history, as published at filing."""
    for price in center.prices:
        _add_change(center, price.item, price.unit, None, price.price, actor, now)


def update_published_prices(actor, center_id, rows, expected_version):
    """Change a filed center's price list, record each change and commit.

    Returns the number of history rows written. Only the center's own
    account may change its prices, and only while it is filed.
    """
    center = load_own_record(
        actor,
        ServiceCenter,
        center_id,
        _l("只有服务中心自己的账号可以修改价格。"),
        for_update=True,
    )
    _check_filed(center)
    if center.version != expected_version:
        raise engine.stale_decision(ServiceCenter, center_id)
    try:
        changes = _record_changes(center, rows, actor, clock.now())
        replace_price_list(center, rows)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "service_center %s: %s price changes by user %s", center_id, changes, actor.id
    )
    return changes


def _check_filed(center):
    if center.state not in FILED_STATES:
        raise DomainValidationError(
            "prices",
            f"center {center.id} is {center.state.value}, not filed",
            _l("备案前请在申请表中修改价格；备案撤销或退出后不能再修改。"),
        )


def _record_changes(center, rows, actor, now):
    current = {price.item: price for price in center.prices}
    changes = 0
    for row in rows:
        old = current.pop(row.item, None)
        if old is None or old.price != row.price or old.unit != row.unit:
            old_price = old.price if old is not None else None
            _add_change(center, row.item, row.unit, old_price, row.price, actor, now)
            changes += 1
    for withdrawn in current.values():
        _add_change(
            center, withdrawn.item, withdrawn.unit, withdrawn.price, None, actor, now
        )
        changes += 1
    return changes


def _add_change(center, item, unit, old_price, new_price, actor, now):
    db.session.add(
        CenterPriceChange(
            center_id=center.id,
            item=item,
            unit=unit,
            old_price=old_price,
            new_price=new_price,
            changed_at=now,
            changed_by_id=actor.id,
        )
    )
