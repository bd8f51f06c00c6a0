"""GB 32100 unified social credit codes."""

import pytest

from workflow.credit_code import (
    InvalidCreditCode,
    check_character,
    check_credit_code,
    is_cooperative_code,
    normalize_credit_code,
    validate_credit_code,
)
from workflow.errors import DomainValidationError

# Codes printed on real business licences and published by their holders.
PUBLISHED_CODES = (
    "914403001922038216",
    "91440300708461136T",
    "91310115591693856A",
    "91310110666007217T",
    "91230184MA1BUFLT44",
    "92371000MA3MXH0E3W",
)


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_code_passes(code):
    validate_credit_code(code)


def _alter(code, position):
    # Replace one character by the next one of the code's character set.
    characters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    digits_only = 2 <= position <= 7
    pool = "0123456789" if digits_only else characters
    replacement = pool[(pool.index(code[position]) + 1) % len(pool)]
    return code[:position] + replacement + code[position + 1 :]


@pytest.mark.parametrize("code", PUBLISHED_CODES)
@pytest.mark.parametrize("position", [0, 5, 10, 17])
def test_altered_code_fails(code, position):
    altered = _alter(code, position)

    with pytest.raises(InvalidCreditCode, match="check character"):
        validate_credit_code(altered)


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("91440300708461136", "not 18 characters"),
        ("9144030070846113IT", "not 18 characters"),
        ("91A40300708461136T", "not 18 characters"),
        ("", "not 18 characters"),
    ],
)
def test_malformed_code_fails(code, detail):
    with pytest.raises(InvalidCreditCode, match=detail):
        validate_credit_code(code)


def test_check_character_of_zero_remainder_is_zero():
    # 17 zeros weigh nothing, so the remainder is 0 and the check is "0".
    assert check_character("0" * 17) == "0"


def test_normalize_accepts_full_width_and_lower_case():
    assert normalize_credit_code(" ９１４４０３００７０８４６１１３６ｔ ") == (
        "91440300708461136T"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [("93420525MA4C1234XX", True), ("914403001922038216", False)],
)
def test_cooperative_prefix(code, expected):
    assert is_cooperative_code(code) is expected


def test_check_credit_code_names_form_field():
    with pytest.raises(DomainValidationError) as raised:
        check_credit_code("914403001922038217", field="organisation_code")

    assert raised.value.field == "organisation_code"
    assert (
        str(raised.value.user_message) == "统一社会信用代码校验位不正确，请核对代码。"
    )
