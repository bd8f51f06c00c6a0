"""Account administration: accounts are handed down level by level.

A registry administrator manages the accounts of their own department and
of every department below it, and nothing above or beside it: another
department's account is "not found". Administrators cannot change their
own roles or disable themselves, so one person cannot quietly widen their
own rights. Every change is written to the security log.
"""

import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workflow import passwords, security_log, user_sessions
from workflow.errors import DomainValidationError, NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.models.api_token import ApiToken
from workflow.models.department import Department
from workflow.models.user import User, UserRole
from workflow.roles import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountValues:
    """Fields an administrator sets on an account."""

    display_name: str
    email: str | None
    department_id: int
    roles: frozenset


def can_administer(user):
    """Return whether ``user`` may manage accounts at all."""
    return user.has_role(Role.REGISTRY_ADMIN)


def require_administrator(admin):
    """Raise ``NotPermitted`` unless ``admin`` may manage accounts."""
    if not can_administer(admin):
        raise NotPermitted(
            f"user {admin.id} is not a registry administrator",
            _l("只有名录库管理员可以管理账号。"),
        )


def managed_users(admin):
    """Return a SELECT of the accounts ``admin`` may manage.

    The accounts API tokens act as are left out: they are managed, and
    revoked, on the token pages, and a password reset must not open them
    to sign-in. So are the system accounts scheduled jobs act as, for the
    same reason.
    """
    require_administrator(admin)
    return (
        select(User)
        .join(Department, User.department_id == Department.id)
        .where(
            Department.path.startswith(admin.department.path, autoescape=True),
            User.id.not_in(select(ApiToken.user_id)),
            User.id.not_in(
                select(UserRole.user_id).where(UserRole.role == Role.SYSTEM)
            ),
        )
    )


def load_managed(admin, user_id):
    """Load one account ``admin`` may manage, or raise ``RecordNotFound``."""
    user = db.session.scalars(managed_users(admin).where(User.id == user_id)).first()
    if user is None:
        raise RecordNotFound(
            f"user {user_id} not below department {admin.department.code}"
        )
    return user


def department_below(admin, department_id, message=None):
    """Return the department ``department_id`` if it is ``admin``'s or below it.

    Raises ``DomainValidationError`` on ``department_id`` with ``message``
    otherwise.
    """
    department = db.session.get(Department, department_id)
    if department is None or not department.is_within(admin.department):
        raise DomainValidationError(
            "department_id",
            f"department {department_id} is outside {admin.department.code}",
            message or _l("只能在本部门或下级部门中设置账号。"),
        )
    return department


def _check_username_free(username):
    taken = db.session.scalar(
        select(func.count()).where(func.lower(User.username) == username.lower())
    )
    if taken:
        raise DomainValidationError(
            "username",
            f"user name {username!r} is taken",
            _l("该用户名已被使用，请换一个。"),
        )


def create_account(admin, username, values, *, address=None):
    """Create an account with a one-time password and commit.

    Returns the user and the one-time password, which is shown to the
    administrator once and never stored in clear.
    """
    require_administrator(admin)
    department = department_below(admin, values.department_id)
    user, one_time = _add_account(username, values, department, admin, address)
    db.session.commit()
    logger.info("user %s created by user %s", user.id, admin.id)
    return user, one_time


def create_first_administrator(username, department_code, display_name, email=None):
    """Create a registry administrator from the command line and commit.

    Used to install a new server, when no administrator exists to create
    accounts in the product, or to regain access when none can sign in.
    Returns the user and the one-time password. Raises
    ``RecordNotFound`` for an unknown department code and
    ``DomainValidationError`` for a user name already taken.
    """
    department = db.session.scalar(
        select(Department).where(Department.code == department_code)
    )
    if department is None:
        raise RecordNotFound(
            f"no department with code {department_code!r}; run "
            "`flask divisions load` first, or use 000000 for the Ministry"
        )
    values = AccountValues(
        display_name=display_name,
        email=email,
        department_id=department.id,
        roles=frozenset({Role.REGISTRY_ADMIN}),
    )
    # No person in the product created it, so the account is its own actor.
    user, one_time = _add_account(username, values, department, None, "command line")
    db.session.commit()
    logger.info("administrator %s created from the command line", user.id)
    return user, one_time


def _add_account(username, values, department, creator, address):
    _check_username_free(username)
    user = User(
        username=username,
        display_name=values.display_name,
        email=values.email,
        department=department,
    )
    user.set_roles(values.roles)
    one_time = passwords.generate_one_time_password()
    passwords.store_password(user, one_time, one_time=True)
    db.session.add(user)
    db.session.flush()
    security_log.record_event(
        security_log.ACCOUNT_CREATED,
        creator or user,
        subject=user,
        detail=_describe(department, values.roles),
        address=address,
    )
    return user, one_time


def update_account(admin, user_id, values, *, address=None):
    """Change an account's name, email, department and roles; commit."""
    user = load_managed(admin, user_id)
    department = department_below(admin, values.department_id)
    if user.id == admin.id and (
        values.roles != user.roles or department.id != user.department_id
    ):
        raise DomainValidationError(
            "roles",
            f"user {admin.id} tried to change their own roles or department",
            _l("不能修改自己的角色或所属部门，请由其他管理员办理。"),
        )
    user.display_name = values.display_name
    user.email = values.email
    user.department = department
    user.set_roles(values.roles)
    security_log.record_event(
        security_log.ACCOUNT_UPDATED,
        admin,
        subject=user,
        detail=_describe(department, values.roles),
        address=address,
    )
    db.session.commit()
    logger.info("user %s updated by user %s", user.id, admin.id)
    return user


def _describe(department, roles):
    names = "、".join(str(role.label) for role in sorted(roles, key=_role_order))
    return f"{department.name}：{names or '—'}"


def _role_order(role):
    return list(Role).index(role)


def reset_password(admin, user_id, *, address=None):
    """Give an account a new one-time password, end its sessions; commit."""
    user = load_managed(admin, user_id)
    one_time = passwords.generate_one_time_password()
    passwords.store_password(user, one_time, one_time=True)
    user_sessions.end_all(user, "password_reset")
    security_log.record_event(
        security_log.PASSWORD_RESET, admin, subject=user, address=address
    )
    db.session.commit()
    logger.info("password of user %s reset by user %s", user.id, admin.id)
    return user, one_time


def set_enabled(admin, user_id, enabled, *, address=None):
    """Disable or re-enable an account; disabling ends its sessions; commit."""
    user = load_managed(admin, user_id)
    if user.id == admin.id:
        raise NotPermitted(
            f"user {admin.id} tried to disable themselves",
            _l("不能停用自己的账号。"),
        )
    user.is_enabled = enabled
    if not enabled:
        user_sessions.end_all(user, "disabled")
    action = security_log.ACCOUNT_ENABLED if enabled else security_log.ACCOUNT_DISABLED
    security_log.record_event(action, admin, subject=user, address=address)
    db.session.commit()
    logger.info("user %s enabled=%s by user %s", user.id, enabled, admin.id)
    return user


def unlock(admin, user_id, *, address=None):
    """Clear an account's failed sign-ins and lockout; commit."""
    user = load_managed(admin, user_id)
    user.failed_sign_ins = 0
    user.locked_until = None
    security_log.record_event(
        security_log.ACCOUNT_UNLOCKED, admin, subject=user, address=address
    )
    db.session.commit()
    return user


def departments_below(admin, limit=5000):
    """Return (id, name) of ``admin``'s department and those below, top first."""
    rows = db.session.execute(
        select(Department.id, Department.name)
        .where(Department.path.startswith(admin.department.path, autoescape=True))
        .order_by(Department.path)
        .limit(limit)
    )
    return [tuple(row) for row in rows]
