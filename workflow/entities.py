"""Creating, finding and bulk-loading served entities.

Entities are shared reference data: any department's staff or counselor
may look one up, and registry administrators and counselors may add one
when it is missing. Cooperatives and unions must carry a valid credit code
that begins with 93; a family farm may have a code or none.
"""

import logging
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import clock
from workflow.credit_code import (
    InvalidCreditCode,
    is_cooperative_code,
    normalize_credit_code,
    validate_credit_code,
)
from workflow.divisions import is_known_division
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.models.entity import EntityKind, ServedEntity
from workflow.roles import Role

logger = logging.getLogger(__name__)

SEARCH_LIMIT = 50
_CODE_SEARCH = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


@dataclass(frozen=True)
class EntityValues:
    """The fields of a served entity as entered."""

    kind: EntityKind
    name: str
    credit_code: str | None
    county_code: str


def check_entity(values):
    """Validate ``values``; return them with the credit code normalised.

    Raises ``DomainValidationError`` naming the first field at fault.
    """
    name = (values.name or "").strip()
    if not 2 <= len(name) <= 100:
        raise DomainValidationError(
            "name",
            f"entity name {name!r} is not 2-100 characters",
            _l("主体名称应为2至100个字符。"),
        )
    code = normalize_credit_code(values.credit_code) or None
    _check_code(values.kind, code)
    _check_county(values.county_code)
    return EntityValues(values.kind, name, code, values.county_code)


def _check_code(kind, code):
    if code is None:
        if kind.needs_credit_code:
            raise DomainValidationError(
                "credit_code",
                f"{kind.value} needs a credit code",
                _l("农民合作社和联合社必须填写统一社会信用代码。"),
            )
        return
    try:
        validate_credit_code(code)
    except InvalidCreditCode as error:
        raise DomainValidationError(
            "credit_code", str(error), error.user_message
        ) from None
    if kind.needs_credit_code and not is_cooperative_code(code):
        raise DomainValidationError(
            "credit_code",
            f"credit code {code} of a {kind.value} does not start with 93",
            _l(
                "农民合作社（联合社）的统一社会信用代码应以93开头，请核对主体类型或代码。"
            ),
        )


def _check_county(code):
    if not code or not is_known_division(code) or code.endswith("0000"):
        raise DomainValidationError(
            "county_code",
            f"county code {code!r} is not a known county-level division",
            _l("请选择主体所在的区县。"),
        )


def create_entity(actor, values):
    """Insert a served entity and commit; return it."""
    if not actor.has_role(Role.REGISTRY_ADMIN, Role.COUNSELOR):
        raise NotPermitted(
            f"user {actor.id} may not add served entities",
            _l("只有名录库管理员或辅导员可以新增服务主体。"),
        )
    values = check_entity(values)
    _check_not_registered(values)
    entity = ServedEntity(
        kind=values.kind,
        name=values.name,
        credit_code=values.credit_code,
        county_code=values.county_code,
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    db.session.add(entity)
    db.session.commit()
    logger.info("served entity %s created by user %s", entity.id, actor.id)
    return entity


def _check_not_registered(values):
    if values.credit_code is not None:
        existing = find_by_credit_code(values.credit_code)
        if existing is not None:
            raise DomainValidationError(
                "credit_code",
                f"credit code already registered as entity {existing.id}",
                _l("该统一社会信用代码已登记为“%(name)s”。", name=existing.name),
            )
        return
    same_name = db.session.scalar(
        select(ServedEntity.id).where(
            ServedEntity.county_code == values.county_code,
            ServedEntity.name == values.name,
        )
    )
    if same_name is not None:
        raise DomainValidationError(
            "name",
            f"entity {same_name} has the same name in {values.county_code}",
            _l("该区县已有同名主体，请先查找后直接选用。"),
        )


def find_by_credit_code(code):
    """Return the entity with credit code ``code``, or None."""
    return db.session.scalars(
        select(ServedEntity).where(
            ServedEntity.credit_code == normalize_credit_code(code)
        )
    ).first()


def find_entity(reference):
    """Return the entity named by a credit code or an entity number, or None."""
    text = normalize_credit_code(reference)
    if text.isdigit() and len(text) < 18:
        return db.session.get(ServedEntity, int(text))
    return find_by_credit_code(text)


def search_entities(text, county_code=None, limit=SEARCH_LIMIT):
    """Return entities matching a credit code or a name, best match first.

    An 18-character code is an exact look-up. A name matches anywhere in
    the name within one county, and as a prefix nationally, so both stay
    on an index at the national scale of millions of entities.
    """
    text = (text or "").strip()
    code = normalize_credit_code(text)
    query = select(ServedEntity)
    if _CODE_SEARCH.match(code):
        query = query.where(ServedEntity.credit_code == code)
    elif county_code:
        query = query.where(ServedEntity.county_code == county_code)
        if text:
            query = query.where(ServedEntity.name.contains(text, autoescape=True))
    elif text:
        query = query.where(ServedEntity.name.startswith(text, autoescape=True))
    else:
        return []
    return db.session.scalars(query.order_by(ServedEntity.name).limit(limit)).all()
