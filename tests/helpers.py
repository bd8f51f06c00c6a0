"""Helpers shared by the tests: form values and page parsing."""

import re


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


def person_values(serial, gender="女", **overrides):
    """Return nomination values for a distinct synthetic person ``serial``."""
    from datetime import date

    from workflow.demo import synthetic_id_number

    id_number = synthetic_id_number("420525", date(1980, 1, 1), serial, gender)
    return nomination_values(
        name=f"辅导员{'甲乙丙丁戊己庚辛壬癸'[serial % 10]}",
        gender=gender,
        id_number=id_number,
        **overrides,
    )


def appoint(admin, reviewer, nominated_on, values):
    """Nominate ``values`` on ``nominated_on`` and appoint after the notice.

    Moves the workflow clock; returns the appointed counselor record.
    """
    from datetime import datetime, time, timedelta

    from workflow import clock, engine, nominations
    from workflow.models import Counselor

    clock.freeze(datetime.combine(nominated_on, time(9)))
    record = nominations.create_nomination(admin, values, submit=True)
    engine.fire(Counselor, record.id, "start_review", reviewer)
    record = engine.fire(Counselor, record.id, "approve", reviewer)
    day_after = record.notice_ends_on + timedelta(days=1)
    clock.freeze(datetime.combine(day_after, time(9)))
    return engine.fire(Counselor, record.id, "appoint", reviewer)


def cooperative_code(serial, county="420525"):
    """Return a valid synthetic credit code of a cooperative in ``county``."""
    from workflow.credit_code import check_character

    first17 = f"93{county}MA4C{serial:05d}"
    return first17 + check_character(first17)


def png_bytes():
    """Return the bytes of a 1×1 PNG image, for evidence uploads."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
        "hKmMIQAAAABJRU5ErkJggg=="
    )
