"""Unified social credit codes (GB 32100-2015) and their check character.

A code has 18 characters from a 31-character alphabet that leaves out I, O,
Z, S and V: a registration authority, an organisation type, six digits of
the registering division, a nine-character organisation code and a check
character. The check character is ``31 - (sum of value × 3^i mod 31)``
over the first 17 characters, with 31 written as 0.
"""

import re

from flask_babel import lazy_gettext as _l

from workflow.errors import DomainValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, position, 31) for position in range(17))
_SHAPE = re.compile(f"^[{ALPHABET}]{{18}}$")


def normalize_credit_code(value):
    """Return ``value`` trimmed, upper-case and with full-width ASCII made plain."""
    text = (value or "").strip()
    ascii_text = "".join(
        chr(ord(char) - 0xFEE0) if "！" <= char <= "～" else char for char in text
    )
    return ascii_text.upper()


def check_character(first17):
    """Return the GB 32100 check character of the first 17 characters."""
    total = sum(
        ALPHABET.index(char) * weight
        for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value, field="credit_code"):
    """Raise ``DomainValidationError`` unless ``value`` is a valid credit code.

    ``value`` must already be normalised; ``field`` names the form field
    that shows the message.
    """
    if not _SHAPE.match(value or ""):
        raise DomainValidationError(
            field,
            f"credit code {value!r} is not 18 characters of the GB 32100 alphabet",
            _l("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"),
        )
    expected = check_character(value[:17])
    if value[17] != expected:
        raise DomainValidationError(
            field,
            f"check character of credit code {value[:8]}... is {value[17]}, "
            f"expected {expected}",
            _l("统一社会信用代码校验位不正确，请核对代码。"),
        )
