"""Helpers shared by the tests: form values and page parsing."""

import re
from pathlib import Path


def nomination_values(**overrides):
    """Return valid nomination values; ``overrides`` replace single fields."""
    values = {
        "name": "张桂兰",
        "gender": "女",
        "id_number": "420525198503150027",
        "ethnicity": "汉族",
        "political_status": "中共党员",
        "education": "大学本科",
        "professional_title": "农艺师",
        "employer": "远安县示范合作社",
        "position": "理事长",
        "mobile": "13900001111",
        "email": None,
        "source": "新型农业经营主体带头人",
        "work_areas": ["组织建设"],
        "industries": ["果茶"],
        "working_mode": "专职",
        "entry_mode": "聘任",
        "service_area_codes": ["420525"],
        "served_cooperatives": 3,
        "served_family_farms": 2,
        "served_others": 0,
    }
    values.update(overrides)
    return values


_CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(html):
    """Return the CSRF token rendered into a page."""
    match = _CSRF_INPUT.search(html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "registry"


def fixture_bytes(name):
    """Return the bytes of a spreadsheet under tests/fixtures/registry."""
    return (FIXTURES / name).read_bytes()
