"""Field rules of the counselor record shared by the form and the batch import.

Each ``check_*`` function raises ``DomainValidationError`` naming the field
and saying, in Chinese, what the user should enter instead.
``record_errors`` runs every rule over one record's values and returns all
the problems, so a spreadsheet row can be reported in full.
"""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from workflow.divisions import is_known_division
from workflow.errors import DomainValidationError
from workflow.id_number import InvalidIdNumber, parse_id_number
from workflow.vocabulary import (
    EDUCATION_LEVELS,
    ENTRY_MODES,
    ETHNIC_GROUPS,
    GENDERS,
    INDUSTRIES,
    POLITICAL_STATUSES,
    SOURCES,
    WORK_AREAS,
    WORKING_MODES,
)

# Han characters of the basic block and extensions A to F (names such as 𠮷
# need extension B), 〇, Latin letters, middle dots and plain spaces; no
# tabs or line breaks.
NAME_PATTERN = re.compile(
    r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef\u3007"
    r"A-Za-z·•・ ]{2,30}$"
)
MOBILE_PATTERN = re.compile(r"^1\d{10}$")
MAX_SERVED_COUNT = 100_000

FIELD_LABELS = {
    "name": _l("姓名"),
    "gender": _l("性别"),
    "id_number": _l("身份证号"),
    "ethnicity": _l("民族"),
    "political_status": _l("政治面貌"),
    "education": _l("学历"),
    "professional_title": _l("专业技术职称"),
    "employer": _l("工作单位"),
    "position": _l("职务"),
    "mobile": _l("手机号码"),
    "email": _l("电子邮箱"),
    "source": _l("人员来源"),
    "work_areas": _l("辅导员类型"),
    "industries": _l("产业领域"),
    "working_mode": _l("工作模式"),
    "entry_mode": _l("聘任方式"),
    "service_area_codes": _l("服务区域"),
    "served_cooperatives": _l("服务合作社数量"),
    "served_family_farms": _l("服务家庭农场数量"),
    "served_others": _l("服务其他主体数量"),
}

REQUIRED_FIELDS = (
    "name", "gender", "id_number", "ethnicity", "political_status",
    "education", "employer", "mobile", "source", "work_areas", "industries",
    "working_mode", "entry_mode", "service_area_codes",
)  # fmt: skip

CHOICES = {
    "gender": GENDERS,
    "ethnicity": ETHNIC_GROUPS,
    "political_status": POLITICAL_STATUSES,
    "education": EDUCATION_LEVELS,
    "source": SOURCES,
    "working_mode": WORKING_MODES,
    "entry_mode": ENTRY_MODES,
}
MULTIPLE_CHOICES = {"work_areas": WORK_AREAS, "industries": INDUSTRIES}
MAX_LENGTHS = {"employer": 100, "professional_title": 60, "position": 60, "email": 120}
COUNT_FIELDS = ("served_cooperatives", "served_family_farms", "served_others")
# Marks a rule outcome not yet kept in ``record_errors``' ``known``.
_UNKNOWN = object()


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


def check_email(value):
    """Raise ``DomainValidationError`` unless ``value`` is an e-mail address."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise DomainValidationError(
            "email",
            f"email {value!r} is not an address",
            _l("电子邮箱格式不正确，应形如 name@example.com。"),
        ) from None


def check_choice(field, value):
    """Raise unless ``value`` is one of the terms allowed in ``field``."""
    allowed = CHOICES[field]
    if value not in allowed:
        raise DomainValidationError(
            field,
            f"{field} {value!r} is not one of {allowed}",
            _l(
                "%(label)s只能填写：%(allowed)s。",
                label=FIELD_LABELS[field],
                allowed="、".join(allowed),
            ),
        )


def check_choices(field, values):
    """Raise unless every term in ``values`` is allowed in ``field``."""
    allowed = MULTIPLE_CHOICES[field]
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise DomainValidationError(
            field,
            f"{field} {unknown!r} not in {allowed}",
            _l(
                "%(label)s中的“%(unknown)s”不在可选范围内，可选：%(allowed)s；"
                "多项之间用顿号“、”分隔。",
                label=FIELD_LABELS[field],
                unknown="、".join(unknown),
                allowed="、".join(allowed),
            ),
        )


def check_length(field, value):
    """Raise if ``value`` is longer than ``field`` may store."""
    limit = MAX_LENGTHS[field]
    if value is not None and len(value) > limit:
        raise DomainValidationError(
            field,
            f"{field} has {len(value)} characters, more than {limit}",
            _l(
                "%(label)s不能超过%(limit)s个字。",
                label=FIELD_LABELS[field],
                limit=limit,
            ),
        )


def check_count(field, value):
    """Raise unless ``value`` is a whole number of served entities."""
    if not isinstance(value, int) or not 0 <= value <= MAX_SERVED_COUNT:
        raise DomainValidationError(
            field,
            f"{field} {value!r} is not an integer in 0..{MAX_SERVED_COUNT}",
            _l(
                "%(label)s应为0至%(limit)s之间的整数。",
                label=FIELD_LABELS[field],
                limit=MAX_SERVED_COUNT,
            ),
        )


def check_service_areas(codes, allowed_codes):
    """Raise unless every division code lies in ``allowed_codes``."""
    outside = [code for code in codes if code not in allowed_codes]
    if outside:
        raise DomainValidationError(
            "service_area_codes",
            f"service areas {outside} are outside the department",
            _l(
                "服务区域“%(codes)s”不在本部门辖区内，请填写本部门或下级区划。",
                codes="、".join(outside),
            ),
        )


def record_errors(values, today, allowed_area_codes, known=None):
    """Return every rule ``values`` break, at most one per field.

    ``values`` maps counselor field names to cleaned values (``None`` or an
    empty list when missing). Returns ``(facts, errors)``: the facts read
    from the ID number, or ``None`` when it is invalid, and a list of
    ``DomainValidationError``. ``known`` is an optional dict in which the
    outcome of each rule that reads a single value is kept, so a caller
    checking thousands of records against the same ``allowed_area_codes``
    runs such a rule once per distinct value.
    """
    errors = []
    facts = None
    for field in REQUIRED_FIELDS:
        if values.get(field) in (None, "", [], ()):
            errors.append(_missing(field))
    missing = {error.field for error in errors}
    known = {} if known is None else known

    def run(field, value, check, *args):
        if field in missing:
            return
        # The type is part of the key because 1, 1.0 and True are equal.
        key = (field, value.__class__, tuple(value) if type(value) is list else value)
        error = known.get(key, _UNKNOWN)
        if error is _UNKNOWN:
            error = known[key] = _error_of(check, *args)
        if error is not None:
            errors.append(error)

    name = values.get("name")
    run("name", name, check_name, name)
    if "id_number" not in missing:
        # An unknown gender term is reported by check_choice below, not as
        # a mismatch with the ID number.
        gender = values.get("gender") if values.get("gender") in GENDERS else None
        try:
            facts = check_identity(values["id_number"], gender, today)
        except DomainValidationError as error:
            errors.append(error)
    mobile = values.get("mobile")
    run("mobile", mobile, check_mobile, mobile)
    for field in CHOICES:
        value = values.get(field)
        run(field, value, check_choice, field, value)
    for field in MULTIPLE_CHOICES:
        value = values.get(field) or ()
        run(field, value, check_choices, field, value)
    for field in MAX_LENGTHS:
        value = values.get(field)
        run(field, value, check_length, field, value)
    if values.get("email"):
        run("email", values["email"], check_email, values["email"])
    for field in COUNT_FIELDS:
        value = values.get(field, 0)
        run(field, value, check_count, field, value)
    codes = values.get("service_area_codes") or ()
    run("service_area_codes", codes, check_service_areas, codes, allowed_area_codes)
    return facts, _one_per_field(errors)


def _error_of(check, *args):
    try:
        check(*args)
    except DomainValidationError as error:
        return error
    return None


def _missing(field):
    return DomainValidationError(
        field,
        f"{field} is required",
        _l("%(label)s为必填项，请填写。", label=FIELD_LABELS[field]),
    )


def _one_per_field(errors):
    seen = {}
    for error in errors:
        seen.setdefault(error.field, error)
    return list(seen.values())
