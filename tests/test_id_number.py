"""Resident identity numbers: format, check character, date, division, gender."""

from datetime import date

import pytest

from workflow.counselor_rules import check_identity, normalize_id_number
from workflow.divisions import is_known_division
from workflow.errors import DomainValidationError
from workflow.id_number import InvalidIdNumber, check_character, parse_id_number

TODAY = date(2026, 3, 2)


def _parse(value):
    return parse_id_number(value, TODAY, is_known_division)


@pytest.mark.parametrize(
    ("number", "division", "birth", "gender"),
    [
        # The worked example of GB 11643-1999 (北京市朝阳区), check X.
        ("11010519491231002X", "110105", date(1949, 12, 31), "女"),
        ("420525198503150027", "420525", date(1985, 3, 15), "女"),
        ("420525197806120015", "420525", date(1978, 6, 12), "男"),
        ("33010619900101123X", "330106", date(1990, 1, 1), "男"),
        ("420525202603010020", "420525", date(2026, 3, 1), "女"),
    ],
)
def test_valid_number_facts(number, division, birth, gender):
    facts = _parse(number)

    assert facts.division_code == division
    assert facts.birth_date == birth
    assert facts.gender == gender


def test_check_character_of_standard_example():
    assert check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("42052519850315002", "应为18位"),
        ("4205251985031500271", "应为18位"),
        ("420525850315002", "应为18位"),
        ("", "应为18位"),
        ("4205251985O3150027", "前17位为数字"),
        ("42052519850315002A", "最后一位为数字或X"),
        ("4205251985031500X7", "最后一位为数字或X"),
        ("420525 19850315002", "应为18位"),
        ("420525198503150028", "校验位不正确"),
        ("42052519850315002X", "校验位不正确"),
        ("42052519850230002X", "出生日期无效"),
        ("420525198513010028", "出生日期无效"),
        ("420525189912310023", "出生日期无效"),
        ("420525202701010024", "不能晚于今天"),
        ("420525202603020026", "不能晚于今天"),
        ("420599198503150021", "行政区划代码"),
        ("000000198503150024", "行政区划代码"),
    ],
)
def test_invalid_number_rejected(number, message):
    with pytest.raises(InvalidIdNumber) as caught:
        _parse(number)

    assert message in str(caught.value.user_message)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("11010519491231002Ｘ", "11010519491231002X"),
        ("11010519491231002ｘ", "11010519491231002X"),
        ("４２０５２５１９８５０３１５００２７", "420525198503150027"),
        ("  420525198503150027\t", "420525198503150027"),
        (None, ""),
    ],
)
def test_normalize_id_number(raw, normalized):
    assert normalize_id_number(raw) == normalized


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", "４２０５２５１９８５０３１５００２７"]
)
def test_normalized_number_is_valid(raw):
    facts = _parse(normalize_id_number(raw))

    assert facts.gender == "女"


def test_lowercase_x_rejected_unless_normalized():
    with pytest.raises(InvalidIdNumber):
        _parse("11010519491231002x")


@pytest.mark.parametrize(
    ("number", "gender"),
    [("420525198503150027", "男"), ("420525197806120015", "女")],
)
def test_gender_mismatch_rejected(number, gender):
    with pytest.raises(DomainValidationError) as caught:
        check_identity(number, gender, TODAY)

    assert caught.value.field == "gender"
    assert "性别与身份证号码不一致" in str(caught.value.user_message)


@pytest.mark.parametrize("gender", ["女", None])
def test_matching_or_missing_gender_accepted(gender):
    facts = check_identity("420525198503150027", gender, TODAY)

    assert facts.birth_date == date(1985, 3, 15)


def test_invalid_number_reported_on_id_field():
    with pytest.raises(DomainValidationError) as caught:
        check_identity("420525198503150028", "女", TODAY)

    assert caught.value.field == "id_number"
    assert "校验位" in str(caught.value.user_message)


@pytest.mark.parametrize("number", ["42052519850315002A", "420525198503150028"])
def test_error_detail_hides_full_number(number):
    with pytest.raises(InvalidIdNumber) as caught:
        _parse(number)

    assert number[6:] not in str(caught.value)
