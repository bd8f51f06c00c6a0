"""Roles a user can hold in their department."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.Enum):
    """A permission a user has within their department."""

    REGISTRY_ADMIN = "registry_admin"
    REVIEWER = "reviewer"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    CENTER_APPLICANT = "center_applicant"
    COUNSELOR = "counselor"
    # Held only by the per-department account that scheduled jobs act as.
    SYSTEM = "system"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.REGISTRY_ADMIN: _l("名录库管理员"),
    Role.REVIEWER: _l("审核人员"),
    Role.LEADER: _l("部门负责人"),
    Role.SUPERVISOR: _l("监督人员（只读）"),
    Role.CENTER_APPLICANT: _l("服务中心申请人"),
    Role.COUNSELOR: _l("辅导员"),
    Role.SYSTEM: _l("系统任务"),
}

# Roles of department staff; a user holding none of them and the counselor
# role uses the self-service pages and sees only their own counselor record.
STAFF_ROLES = frozenset(
    {
        Role.REGISTRY_ADMIN,
        Role.REVIEWER,
        Role.LEADER,
        Role.SUPERVISOR,
        Role.SYSTEM,
    }
)
