"""The kinds of message the product sends, and which of them are mandatory.

A user may turn email off for optional kinds; mandatory kinds are always
emailed. Every kind also appears in the product's notification list. Each
kind has a template of the same name in notifications/templates/.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MessageKind:
    """One kind of message: its code, its name on screen, whether mandatory."""

    code: str
    label: object
    mandatory: bool


KINDS = {
    kind.code: kind
    for kind in (
        MessageKind("window_opened", _l("年度报送期开始"), False),
        MessageKind("report_due", _l("年度报送截止提醒"), True),
        MessageKind("report_overdue", _l("本部门年度报送逾期"), True),
        MessageKind("child_report_overdue", _l("下级部门年度报送逾期"), True),
        MessageKind("report_submitted", _l("下级部门提交年度报送"), False),
        MessageKind("report_returned", _l("年度报送被退回"), True),
        MessageKind("report_accepted", _l("年度报送已接收"), False),
        MessageKind("window_extended", _l("报送期已延长"), True),
        MessageKind("term_ending", _l("辅导员聘期即将届满"), False),
        MessageKind("notice_ended", _l("公示期满待聘任"), False),
        MessageKind("rectification_due", _l("整改期限即将届满"), True),
        MessageKind("rectification_overdue", _l("服务中心整改逾期"), True),
        MessageKind("evaluation_due", _l("年度评价截止提醒"), True),
        MessageKind("evaluation_overdue", _l("本部门年度评价逾期"), True),
        MessageKind("child_evaluation_overdue", _l("下级部门年度评价逾期"), True),
    )
}


def kind_for(code):
    """Return the message kind named ``code``."""
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(
            f"unknown message kind {code!r}; add it to notifications/kinds.py"
        ) from None


def optional_kinds():
    """Return the kinds a user may stop receiving by email."""
    return [kind for kind in KINDS.values() if not kind.mandatory]
