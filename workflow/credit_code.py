"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

A code is 18 characters from a 31-character set (digits and capital letters
without I, O, S, V and Z): the registering authority (1), the organisation
type (1), the registering division (6 digits), the organisation code (9)
and a check character computed over the first 17 with weights 3^i mod 31.
Market regulators register farmer cooperatives and their unions with
authority 9 and type 3, so their codes begin with "93".
"""

import re

from flask_babel import lazy_gettext as _l

from workflow.errors import DomainValidationError

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
COOPERATIVE_PREFIX = "93"
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class InvalidCreditCode(ValueError):
    """The code breaks GB 32100; ``user_message`` says how, in Chinese."""

    def __init__(self, detail, user_message):
        super().__init__(detail)
        self.user_message = user_message


def normalize_credit_code(value):
    """Return ``value`` trimmed, upper-case, with full-width characters made ASCII."""
    text = (value or "").strip()
    text = "".join(
        chr(ord(char) - 0xFEE0) if "\uff01" <= char <= "\uff5e" else char
        for char in text
    )
    return text.upper()


def check_character(first17):
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(
        CHARACTERS.index(char) * weight
        for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(code):
    """Raise ``InvalidCreditCode`` unless ``code`` is a well-formed GB 32100 code.

    ``code`` must already be normalised.
    """
    if not _SHAPE.match(code):
        raise InvalidCreditCode(
            f"{code!r} is not 18 characters of the GB 32100 set",
            _l(
                "统一社会信用代码应为18位，由数字和大写字母组成"
                "（不含I、O、S、V、Z），第3至8位为数字。"
            ),
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode(
            f"check character of {code[:8]}... is {code[17]}, expected {expected}",
            _l("统一社会信用代码校验位不正确，请核对代码。"),
        )


def is_cooperative_code(code):
    """Return whether ``code`` was issued to a farmer cooperative or union."""
    return code.startswith(COOPERATIVE_PREFIX)


def check_credit_code(value, field="credit_code"):
    """Raise ``DomainValidationError`` unless ``value`` is a valid credit code.

    ``value`` must already be normalised; ``field`` names the form field
    that shows the message.
    """
    try:
        validate_credit_code(value or "")
    except InvalidCreditCode as error:
        raise DomainValidationError(field, str(error), error.user_message) from None
