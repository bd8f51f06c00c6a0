"""Unified social credit codes and their GB 32100 check character."""

import pytest

from workflow.credit_code import check_credit_code, normalize_credit_code
from workflow.errors import DomainValidationError


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000600037341L", "93420525MA4B00007F"]
)
def test_valid_codes_pass(code):
    check_credit_code(code)


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("91350100M000100Y44", "check character"),
        ("91110000600037341X", "check character"),
        ("91350100M000100Y4", "not 18 characters"),
        ("9135010OM000100Y43", "not 18 characters"),
        ("91350100m000100y43", "not 18 characters"),
        ("", "not 18 characters"),
    ],
)
def test_invalid_codes_rejected(code, detail):
    with pytest.raises(DomainValidationError, match=detail):
        check_credit_code(code)


def test_normalize_makes_full_width_ascii():
    assert normalize_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == (
        "91350100M000100Y43"
    )
