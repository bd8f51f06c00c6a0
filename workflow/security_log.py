"""Writing security events: sign-ins, account changes, personal-data access.

Callers add the event to the open transaction and commit with the change
it describes, so an event is never kept for a change that was rolled back.
"""

from flask_babel import lazy_gettext as _l

from workflow import clock
from workflow.extensions import db
from workflow.models.security_event import SecurityEvent

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_REFUSED = "sign_in_refused"
SIGN_OUT = "sign_out"
SESSION_EXPIRED = "session_expired"
PASSWORD_CHANGED = "password_changed"
ACCOUNT_CREATED = "account_created"
ACCOUNT_UPDATED = "account_updated"
PASSWORD_RESET = "password_reset"
ACCOUNT_DISABLED = "account_disabled"
ACCOUNT_ENABLED = "account_enabled"
ACCOUNT_UNLOCKED = "account_unlocked"
ID_NUMBER_VIEWED = "id_number_viewed"
EXPORT = "export"
CLAIM = "claim"
CLAIM_RELEASED = "claim_released"
REASSIGN = "reassign"
API_TOKEN_CREATED = "api_token_created"
API_TOKEN_REVOKED = "api_token_revoked"

ACTION_LABELS = {
    SIGN_IN: _l("登录"),
    SIGN_IN_FAILED: _l("登录失败"),
    SIGN_IN_REFUSED: _l("登录被拒绝（锁定或停用）"),
    SIGN_OUT: _l("退出登录"),
    SESSION_EXPIRED: _l("会话超时"),
    PASSWORD_CHANGED: _l("修改密码"),
    ACCOUNT_CREATED: _l("创建账号"),
    ACCOUNT_UPDATED: _l("修改账号"),
    PASSWORD_RESET: _l("重置密码"),
    ACCOUNT_DISABLED: _l("停用账号"),
    ACCOUNT_ENABLED: _l("启用账号"),
    ACCOUNT_UNLOCKED: _l("解除锁定"),
    ID_NUMBER_VIEWED: _l("查看完整身份证号"),
    EXPORT: _l("导出"),
    CLAIM: _l("认领"),
    CLAIM_RELEASED: _l("释放认领"),
    REASSIGN: _l("改派"),
    API_TOKEN_CREATED: _l("创建API令牌"),
    API_TOKEN_REVOKED: _l("吊销API令牌"),
}


def record_event(action, actor, *, subject=None, detail=None, address=None):
    """Add a security event for ``actor`` (a User or None) to the session.

    ``subject`` is the record or account acted on; its table name and id
    are stored. The event takes the actor's department, so the audit log of
    a department shows what its own people did.
    """
    event = SecurityEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        department_id=actor.department_id if actor is not None else None,
        subject_type=subject.__tablename__ if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        detail=detail,
        address=address,
        created_at=clock.wall_now(),
    )
    db.session.add(event)
    return event
