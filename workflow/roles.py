"""Roles a user can hold in their department."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.Enum):
    """What a user may do in their department."""

    REGISTRY_ADMIN = "registry_admin"
    REVIEWER = "reviewer"
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    CENTER_APPLICANT = "center_applicant"
    COUNSELOR = "counselor"

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
}

# Department staff who work with counselor records. Applicants and
# counselors have accounts too, but see only their own data.
STAFF_ROLES = frozenset(
    {Role.REGISTRY_ADMIN, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR}
)
