"""Exceptions raised by the workflow engine and the domain validators.

Each carries a short Chinese message for the user (``user_message``) and
keeps its ``str()`` in English for logs and developers.
"""

from flask_babel import lazy_gettext as _l


class WorkflowError(Exception):
    """Base class for refusals of the workflow engine."""

    user_message = _l("操作未能完成。")

    def __init__(self, detail, user_message=None):
        super().__init__(detail)
        if user_message is not None:
            self.user_message = user_message


class RecordNotFound(WorkflowError):
    """The record does not exist or lies outside the user's jurisdiction."""

    user_message = _l("记录不存在，或不在您的辖区内。")


class NotPermitted(WorkflowError):
    """The user may see the record but may not take this action on it."""

    user_message = _l("您没有执行此操作的权限。")


class InvalidTransition(WorkflowError):
    """The action is not allowed from the record's current state."""

    user_message = _l("该记录当前状态下不能执行此操作。")


class StaleDecision(WorkflowError):
    """Another user changed the record after this user loaded it."""


class DuplicateActiveRecord(StaleDecision):
    """Another user wrote an active record for the same ID number first."""

    user_message = _l(
        "该身份证号刚由其他用户录入名录，已有一条在办或在聘的记录，本次未保存。"
        "请刷新后核对该人员的现有记录。"
    )


class ConcurrentWrite(StaleDecision):
    """The database stopped this write because another one held its locks."""

    user_message = _l("其他用户正在同时修改相关记录，本次操作未保存。请稍后重新提交。")


# The generated column of the counselor table whose unique index allows one
# active record per ID number. Databases name it, or its index, in the error.
ACTIVE_ID_NUMBER = "active_id_number"


class DomainValidationError(WorkflowError):
    """A field value breaks a domain rule; ``field`` names the form field."""

    def __init__(self, field, detail, user_message):
        super().__init__(detail, user_message)
        self.field = field


class OutsideReportingWindow(InvalidTransition):
    """A change that belongs to the annual report was made outside its window."""
