"""Resident identity numbers (GB 11643-1999): check digit, birth date, gender.

An 18-character number is six digits of the division where it was issued,
eight of the birth date, three of a serial whose last digit is odd for men
and even for women, and a check character computed with ISO 7064 MOD 11-2.
"""

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from flask_babel import lazy_gettext as _l

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The number breaks GB 11643; ``user_message`` explains how, in Chinese."""

    def __init__(self, detail, user_message):
        super().__init__(detail)
        self.user_message = user_message


@dataclass(frozen=True)
class IdNumberFacts:
    """Facts an identity number encodes about its holder."""

    division_code: str
    birth_date: date
    gender: str


def check_character(first17):
    """Return the check character for the first 17 digits of a number."""
    total = sum(map(mul, map(int, first17), WEIGHTS))
    return CHECK_CHARACTERS[total % 11]


def parse_id_number(value, today, is_known_division):
    """Validate an identity number and return the facts it encodes.

    ``value`` must already be normalised (trimmed, upper-case X).
    ``is_known_division`` is called with the six-digit prefix. Raises
    ``InvalidIdNumber`` naming the first rule the number breaks.
    """
    if not _SHAPE.match(value):
        # The detail reaches logs, so it names only the length and the
        # division prefix, never the whole number.
        raise InvalidIdNumber(
            f"{len(value)} characters starting {value[:6]!r} are not 17 digits "
            "followed by a digit or X",
            _l("身份证号码应为18位，前17位为数字，最后一位为数字或X。"),
        )
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(
            f"check character of {value[:6]}... is {value[17]}, expected {expected}",
            _l("身份证号码校验位不正确，请核对号码。"),
        )
    birth = _birth_date(value)
    if birth >= today:
        raise InvalidIdNumber(
            f"birth date {birth} is not in the past",
            _l("身份证号码中的出生日期不能晚于今天。"),
        )
    if not is_known_division(value[:6]):
        raise InvalidIdNumber(
            f"division prefix {value[:6]} is unknown",
            _l("身份证号码前6位不是有效的行政区划代码。"),
        )
    gender = "男" if int(value[16]) % 2 else "女"
    return IdNumberFacts(division_code=value[:6], birth_date=birth, gender=gender)


def _birth_date(value):
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            f"birth date digits {value[6:14]} are not a calendar date",
            _l("身份证号码中的出生日期无效。"),
        ) from None
    if birth.year < 1900:
        raise InvalidIdNumber(
            f"birth year {birth.year} is before 1900",
            _l("身份证号码中的出生日期无效。"),
        )
    return birth
