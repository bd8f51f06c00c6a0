"""Field rules of the counselor record shared by forms, imports and the API."""

import re

from flask_babel import lazy_gettext as _l

from workflow.divisions import is_known_division
from workflow.errors import DomainValidationError
from workflow.id_number import InvalidIdNumber, parse_id_number

# Han characters of the basic block and extensions A to F (names such as 𠮷
# need extension B), 〇, Latin letters, middle dots and plain spaces; no
# tabs or line breaks.
NAME_PATTERN = re.compile(
    r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef\u3007"
    r"A-Za-z·•・ ]{2,30}$"
)
MOBILE_PATTERN = re.compile(r"^1\d{10}$")


def normalize_id_number(value):
    """Return ``value`` trimmed, with full-width digits and x made standard."""
    table = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
    return (value or "").strip().translate(table)


def check_name(value):
    """Raise ``DomainValidationError`` unless ``value`` is a plausible name."""
    if not NAME_PATTERN.match(value or ""):
        raise DomainValidationError(
            "name",
            f"name {value!r} is not 2-30 letters",
            _l("姓名应为2至30个汉字或字母，可含间隔号“·”。"),
        )


def check_identity(id_number, gender, today):
    """Validate an ID number against the stated gender; return its facts."""
    try:
        facts = parse_id_number(id_number, today, is_known_division)
    except InvalidIdNumber as error:
        raise DomainValidationError(
            "id_number", str(error), error.user_message
        ) from None
    if gender and gender != facts.gender:
        raise DomainValidationError(
            "gender",
            f"gender {gender} does not match the ID number ({facts.gender})",
            _l("性别与身份证号码不一致（号码显示为%(gender)s）。", gender=facts.gender),
        )
    return facts


def check_mobile(value):
    """Raise ``DomainValidationError`` unless ``value`` is a mainland mobile."""
    if not MOBILE_PATTERN.match(value or ""):
        raise DomainValidationError(
            "mobile",
            f"mobile {value!r} is not 11 digits starting with 1",
            _l("手机号码应为以1开头的11位数字。"),
        )
