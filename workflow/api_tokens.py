"""API tokens: created and revoked by registry administrators, checked per request.

A token is ``fudao_<prefix>_<secret>``. The prefix is stored in clear to
find the row. The secret is stored only as its SHA-256 digest, so a copy
of the database does not let anyone call the API. A random 256-bit secret needs
no slow hash: there is nothing to guess. The full token is returned once,
when it is created.

Each token acts through an account of its own in its department, holding
the token's roles. That account is disabled, so it can never sign in to
the web pages, and its display name carries the token's name, so audit
events of API calls show which token acted. Administrators manage tokens
of their own department and those below it, as they manage accounts.
"""

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import accounts, clock, security_log
from workflow.errors import DomainValidationError, RecordNotFound
from workflow.extensions import db
from workflow.models.api_token import ApiToken
from workflow.models.department import Department
from workflow.models.user import User
from workflow.roles import Role

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "fudao"
# Roles a token may act with: staff roles, never the scheduler's own.
GRANTABLE_ROLES = (Role.REGISTRY_ADMIN, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR)
# The longest the recorded time of last use may lag behind the real one.
LAST_USED_STEP = timedelta(minutes=1)
_TOKEN_FORMAT = re.compile(r"^fudao_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class TokenValues:
    """Fields an administrator sets on a new token."""

    name: str
    department_id: int
    roles: frozenset
    expires_at: datetime | None


def _digest(secret):
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def managed_tokens(admin):
    """Return a SELECT of the tokens ``admin`` may see and revoke, newest first."""
    accounts.require_administrator(admin)
    return (
        select(ApiToken)
        .join(Department, ApiToken.department_id == Department.id)
        .where(Department.path.startswith(admin.department.path, autoescape=True))
        .order_by(ApiToken.id.desc())
    )


def load_managed(admin, token_id):
    """Load one token ``admin`` may manage, or raise ``RecordNotFound``."""
    accounts.require_administrator(admin)
    token = db.session.scalars(
        managed_tokens(admin).where(ApiToken.id == token_id)
    ).first()
    if token is None:
        raise RecordNotFound(
            f"API token {token_id} not below department {admin.department.code}"
        )
    return token


def create_token(admin, values, *, address=None):
    """Create a token and its account, write a security event and commit.

    Returns the ``ApiToken`` and the full token text, which is shown to the
    administrator once and never stored. Raises ``NotPermitted`` for a user
    who is not a registry administrator and ``DomainValidationError`` for a
    department outside their jurisdiction, a role that cannot be granted or
    an expiry in the past.
    """
    accounts.require_administrator(admin)
    department = accounts.department_below(
        admin, values.department_id, _l("只能为本部门或下级部门创建令牌。")
    )
    _check_roles(values.roles)
    now = clock.wall_now()
    if values.expires_at is not None and values.expires_at <= now:
        raise DomainValidationError(
            "expires_at",
            f"expiry {values.expires_at} is not in the future",
            _l("有效期应晚于当前时间。"),
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    user = _token_account(department, prefix, values)
    token = ApiToken(
        prefix=prefix,
        secret_sha256=_digest(secret),
        name=values.name,
        department=department,
        user=user,
        created_by_id=admin.id,
        created_at=now,
        expires_at=values.expires_at,
    )
    db.session.add(token)
    db.session.flush()
    security_log.record_event(
        security_log.API_TOKEN_CREATED,
        admin,
        subject=token,
        detail=_describe(token, values.roles),
        address=address,
    )
    db.session.commit()
    logger.info("API token %s created by user %s", token.id, admin.id)
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def _check_roles(roles):
    if not roles or not set(roles) <= set(GRANTABLE_ROLES):
        raise DomainValidationError(
            "roles",
            f"roles {sorted(r.value for r in roles)} cannot be granted to a token",
            _l("请至少选择一个角色，且只能选择部门工作人员的角色。"),
        )


def _token_account(department, prefix, values):
    user = User(
        username=f"api-{prefix}",
        display_name=f"API令牌：{values.name}"[:60],
        department=department,
        is_enabled=False,
    )
    # Disabled accounts cannot sign in, whatever the password; this one is
    # random and never shown.
    user.set_password(secrets.token_urlsafe(32))
    user.set_roles(values.roles)
    db.session.add(user)
    return user


def _describe(token, roles):
    names = "、".join(str(role.label) for role in GRANTABLE_ROLES if role in roles)
    return f"{token.name}（{token.department.name}：{names}）"


def revoke_token(admin, token_id, *, address=None):
    """Revoke a token at once, write a security event and commit."""
    token = load_managed(admin, token_id)
    if token.revoked_at is None:
        token.revoked_at = clock.wall_now()
        token.revoked_by_id = admin.id
        security_log.record_event(
            security_log.API_TOKEN_REVOKED,
            admin,
            subject=token,
            detail=token.name,
            address=address,
        )
        db.session.commit()
        logger.info("API token %s revoked by user %s", token.id, admin.id)
    return token


def authenticate(text):
    """Return the usable token that ``text`` is, or None.

    Records the time of use on success and commits, at most once a minute
    per token, so a busy script does not write a row on every request.
    """
    match = _TOKEN_FORMAT.match(text or "")
    if match is None:
        return None
    prefix, secret = match.groups()
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.prefix == prefix)
    ).first()
    if token is None or not hmac.compare_digest(token.secret_sha256, _digest(secret)):
        return None
    now = clock.wall_now()
    if not token.is_usable_at(now):
        logger.info("API token %s used after revocation or expiry", token.id)
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
        db.session.commit()
    return token


def prefix_of(text):
    """Return the lookup prefix of a well-formed token text, or None."""
    match = _TOKEN_FORMAT.match(text or "")
    return match.group(1) if match else None
