"""Self-service accounts through which counselors enter their own records.

A registry administrator of the appointing department opens the account;
it has the counselor role, belongs to the department and is linked to
the counselor record, so it sees that record and nothing else. The account
is disabled when the counselor leaves the registry.
"""

import logging
import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.counselor import Counselor
from workflow.models.user import User
from workflow.roles import Role
from workflow.states.counselor import SERVING_STATES

logger = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{4,60}$")


def open_account(actor, counselor_id, username):
    """Create the counselor's account and commit; return it and its password.

    The password is random and shown once to the administrator, who hands
    it to the counselor.
    """
    counselor = load_visible(actor, Counselor, counselor_id, for_update=True)
    if not is_owner(actor, counselor) or not actor.has_role(Role.REGISTRY_ADMIN):
        raise NotPermitted(
            f"user {actor.id} may not open accounts for counselor {counselor.id}",
            _l("只有聘任部门的名录库管理员可以开通辅导员账号。"),
        )
    if counselor.state not in SERVING_STATES:
        raise DomainValidationError(
            "username",
            f"counselor {counselor.id} is {counselor.state.value}",
            _l("只有在聘的辅导员可以开通自助账号。"),
        )
    _check_username(counselor, username)
    password = secrets.token_urlsafe(9)
    user = User(
        username=username,
        display_name=counselor.name,
        department_id=counselor.department_id,
    )
    user.set_password(password)
    user.set_roles([Role.COUNSELOR])
    db.session.add(user)
    db.session.flush()
    counselor.account_user_id = user.id
    db.session.commit()
    logger.info(
        "self-service account %s opened for counselor %s", user.id, counselor.id
    )
    return user, password


def _check_username(counselor, username):
    if counselor.account_user_id is not None:
        raise DomainValidationError(
            "username",
            f"counselor {counselor.id} already has an account",
            _l("该辅导员已开通自助账号。"),
        )
    if not USERNAME_PATTERN.match(username or ""):
        raise DomainValidationError(
            "username",
            f"username {username!r} has invalid characters",
            _l("用户名应为4至60位字母、数字或“_ . -”。"),
        )
    taken = db.session.scalar(select(User.id).where(User.username == username))
    if taken is not None:
        raise DomainValidationError(
            "username", f"username {username!r} taken", _l("该用户名已被使用。")
        )
