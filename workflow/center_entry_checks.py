"""Entry checks a service center must pass to be submitted and filed.

The conditions are settings (see config.py) because provinces set their
own: a registered legal entity with a valid credit code, a minimum number
of years in operation, no serious violation within a number of years, and
the attachments that prove them.
"""

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from workflow.credit_code import check_credit_code
from workflow.errors import DomainValidationError

# Attachment kinds in the order the application form lists them.
ATTACHMENT_KINDS = {
    "registration_certificate": _l("营业执照或法人登记证书"),
    "premises_proof": _l("服务场所证明"),
    "rules_document": _l("管理制度文件"),
    "other": _l("其他材料"),
}


def entry_check_failures(center, today):
    """Return the user messages of every entry check ``center`` fails."""
    config = current_app.config
    failures = []
    if config["CENTER_REQUIRE_CREDIT_CODE"]:
        failures += _credit_code_failures(center.organisation.credit_code)
    years = config["CENTER_MIN_OPERATING_YEARS"]
    if years and not _has_operated(center.registered_on, years, today):
        failures.append(_l("依法登记满%(years)s年", years=years))
    clean_years = config["CENTER_VIOLATION_FREE_YEARS"]
    if clean_years and not center.declares_no_violation:
        failures.append(_l("承诺近%(years)s年无严重违法违规行为", years=clean_years))
    present = {attachment.kind for attachment in center.attachments}
    for kind in config["CENTER_REQUIRED_ATTACHMENTS"]:
        if kind not in present:
            failures.append(_l("上传%(kind)s", kind=ATTACHMENT_KINDS[kind]))
    return failures


def _credit_code_failures(code):
    try:
        check_credit_code(code)
    except DomainValidationError:
        return [_l("具有有效的统一社会信用代码")]
    return []


def _has_operated(registered_on, years, today):
    if registered_on is None:
        return False
    try:
        anniversary = registered_on.replace(year=registered_on.year + years)
    except ValueError:
        # Registered on 29 February: the anniversary falls on 1 March.
        anniversary = date(registered_on.year + years, 3, 1)
    return anniversary <= today
