"""Cell normalisation: the forms users type, turned into registry values."""

from datetime import date, datetime

import pytest

from workflow.registry_import import normalising
from workflow.registry_import.normalising import CellError


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (date(2023, 3, 31), date(2023, 3, 31)),
        (datetime(2023, 3, 31, 0, 0), date(2023, 3, 31)),
        (45016, date(2023, 3, 31)),
        (45016.0, date(2023, 3, 31)),
        ("45016", date(2023, 3, 31)),
        ("2023-03-31", date(2023, 3, 31)),
        ("2023/3/31", date(2023, 3, 31)),
        ("2023.3.31", date(2023, 3, 31)),
        ("20230331", date(2023, 3, 31)),
        (20230331, date(2023, 3, 31)),
        ("2023年3月31日", date(2023, 3, 31)),
        ("２０２３年３月３１日", date(2023, 3, 31)),
        (" 2023-03-31 00:00:00 ", date(2023, 3, 31)),
        (None, None),
        ("", None),
    ],
)
def test_date_forms(cell, expected):
    assert normalising.a_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "detail"),
    [("2023-02-30", "not a calendar date"), ("去年三月", "not a date")],
)
def test_date_unreadable(cell, detail):
    with pytest.raises(CellError, match=detail):
        normalising.a_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("４２０５２５１９８５０３１５００２７", "420525198503150027"),
        (" 42052519900105005x ", "42052519900105005X"),
        ("4205 2519 9001 0500 5X", "42052519900105005X"),
        ("'420525198503150027", "420525198503150027"),
        (None, None),
    ],
)
def test_id_number_forms(cell, expected):
    assert normalising.id_number(cell) == expected


@pytest.mark.parametrize(
    "cell", [4.20525198503150e17, 420525198503150000, "4.20525E+17"]
)
def test_id_number_stored_as_number_rejected(cell):
    with pytest.raises(CellError, match="stored as a number"):
        normalising.id_number(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (13900001111.0, "13900001111"),
        ("１３９００００２２２２", "13900002222"),
        ("139-0000-1111", "13900001111"),
        (" 139 0000 1111 ", "13900001111"),
    ],
)
def test_mobile_forms(cell, expected):
    assert normalising.mobile(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("　远安县  农技  推广中心　", "远安县 农技 推广中心"),
        ("ｚｈａｏ＠example.com", "zhao@example.com"),
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'abc", "'abc"),
        (12.0, "12"),
        ("  ", None),
    ],
)
def test_clean_text(cell, expected):
    assert normalising.clean_text(cell) == expected


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        ("education", "本科", "大学本科"),
        ("education", "大 专", "大学专科"),
        ("political_status", "党员", "中共党员"),
        ("ethnicity", "土家", "土家族"),
        ("ethnicity", "汉族", "汉族"),
        ("gender", "男性", "男"),
        ("source", "农技员", "农技员"),
    ],
)
def test_choice_aliases(key, cell, expected):
    assert normalising.choice(cell, key) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("组织建设、财务会计", ["组织建设", "财务会计"]),
        ("组织建设,财务会计；组织建设", ["组织建设", "财务会计"]),
        ("组织建设 财务会计", ["组织建设", "财务会计"]),
        (None, []),
    ],
)
def test_multiple_values(cell, expected):
    assert normalising.multiple(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(None, 0), ("", 0), (3.0, 3), ("３", 3), (2.5, 2.5), ("-3", "-3")],
)
def test_count_forms(cell, expected):
    assert normalising.count(cell) == expected


def test_division_codes_accept_names_codes_and_both():
    names = {"远安县": ["420525"], "城区": ["420101", "420201"]}

    codes = normalising.division_codes("远安县、420526、兴山县（420526）", names)

    assert codes == ["420525", "420526"]


@pytest.mark.parametrize(
    ("cell", "detail"), [("火星县", "no division"), ("城区", "2 divisions")]
)
def test_division_codes_unknown_or_ambiguous(cell, detail):
    names = {"远安县": ["420525"], "城区": ["420101", "420201"]}

    with pytest.raises(CellError, match=detail):
        normalising.division_codes(cell, names)
