"""Helpers shared by the tests: form values, records, sample files, pages."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from workflow import clock, engine, nominations
from workflow.center_prices import PriceRow
from workflow.credit_code import check_character as credit_check_character
from workflow.demo import synthetic_id_number
from workflow.models import Counselor
from workflow.states.counselor import CounselorState

S = CounselorState
# When a record arranged by ``new_counselor`` entered its state. The
# ``frozen_clock`` fixture starts at 2026-03-02 09:00, one day later.
ARRANGED_AT = datetime(2026, 3, 1, 9, 0)


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


def nomination_form(**overrides):
    """Return valid nomination values as the form posts them."""
    form = {}
    for name, value in nomination_values(**overrides).items():
        if value is None:
            form[name] = ""
        elif isinstance(value, int):
            form[name] = str(value)
        else:
            form[name] = value
    return form


_CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def api_error(response):
    """Return the ``error`` object of an API error response."""
    return response.get_json()["error"]


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


def new_counselor(department, state, serial, **fields):
    """Return an unsaved counselor of ``department`` already in ``state``.

    ``serial`` makes the ID number and, for appointed records, the
    certificate number unique. A record on public notice has a notice that
    ended on 2026-02-27, so it may be appointed at ``ARRANGED_AT``.
    """
    gender = fields.get("gender", "女")
    birth = date(1980, 1, 1) + timedelta(days=serial)
    # An ID number carries a county-level code: a township's nine-digit
    # code starts with its county's six.
    values = nomination_values(
        gender=gender,
        id_number=synthetic_id_number(department.code[:6], birth, serial, gender),
    )
    values.update(
        department=department,
        state=state,
        birth_date=birth,
        created_at=ARRANGED_AT,
        state_changed_at=ARRANGED_AT,
        submitted_at=None if state is S.DRAFT else ARRANGED_AT,
        notice_working_days=5,
        term_years=3,
    )
    if state in (S.PUBLIC_NOTICE, S.APPOINTED):
        values.update(
            notice_starts_on=date(2026, 2, 13), notice_ends_on=date(2026, 2, 27)
        )
    if state is S.APPOINTED:
        values.update(
            appointed_on=date(2026, 3, 1),
            term_starts_on=date(2026, 3, 1),
            term_ends_on=date(2029, 2, 28),
            certificate_number=f"{department.code}-2025-{serial:04d}",
        )
    values.update(fields)
    return Counselor(**values)


_FIELD_BLOCK = re.compile(r'(?=<(?:div|fieldset) class="field)')
_ERROR = re.compile(r'<div class="error">(.*?)</div>', re.S)


def field_errors(html, field_id):
    """Return the error messages rendered inside the field ``field_id``."""
    for block in _FIELD_BLOCK.split(html):
        if f'id="{field_id}"' in block:
            return _ERROR.findall(block)
    raise AssertionError(f"page has no field with id {field_id!r}")


def version_from(html):
    """Return the record version carried by the first action form on a page."""
    match = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    assert match, "page has no version field"
    return match.group(1)


def flash_messages(html):
    """Return the texts of the flash messages on a page."""
    return re.findall(r'<div class="flash[^"]*" role="alert">(.*?)</div>', html, re.S)


def credit_code(serial):
    """Return a valid unified social credit code numbered ``serial``."""
    first17 = f"93420525MA4B{serial:05d}"
    return first17 + credit_check_character(first17)


# Smallest files of each accepted type that pass the content checks.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
# A Windows executable header: what a renamed program starts with.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
HTML_BYTES = b"<!doctype html><script>alert(1)</script>"


def application_values(**overrides):
    """Return valid values for ``create_application``."""
    values = {
        "name": "远安县新型农业经营主体服务中心",
        "organisation_type": "农民合作社联合社",
        "establishment": "现有主体挂牌承接",
        "co_building_mode": "购买服务",
        "county_code": "420525",
        "address": "远安县鸣凤镇建设路8号",
        "service_phone": "0717-3812345",
        "registered_on": date(2019, 4, 1),
        "declares_no_violation": True,
        "work_guide": "受理、派单、服务、回访四步办理。",
        "code_of_conduct": "不强制服务，不干预主体经营决策。",
        "price_disclosure": "价格在服务大厅和公示网站同步公开。",
        "record_keeping": "每次服务登记服务记录并由主体签字确认。",
        "services": [("财务会计", "代理记账与财务规范指导"), ("市场营销", "品牌策划")],
        "staff": [("周建华", "主任", None), ("吴丽", "会计", None)],
        "prices": [
            PriceRow("代理记账", "户·年", Decimal("1200.00")),
            PriceRow("品牌策划", "次", Decimal("3000.00")),
        ],
    }
    values.update(overrides)
    return values


def application_form(**overrides):
    """Return the application form's fields as a browser would post them."""
    fields = {
        "name": "远安县新型农业经营主体服务中心",
        "organisation_type": "农民合作社联合社",
        "establishment": "现有主体挂牌承接",
        "co_building_mode": "购买服务",
        "county_code": "420525",
        "address": "远安县鸣凤镇建设路8号",
        "service_phone": "0717-3812345",
        "registered_on": "2019-04-01",
        "declares_no_violation": "y",
        "work_guide": "受理、派单、服务、回访四步办理。",
        "code_of_conduct": "不强制服务，不干预主体经营决策。",
        "price_disclosure": "价格在服务大厅和公示网站同步公开。",
        "record_keeping": "每次服务登记服务记录并由主体签字确认。",
        "services-0-work_area": "财务会计",
        "services-0-details": "代理记账与财务规范指导",
        "staff-0-name": "周建华",
        "staff-0-post": "主任",
        "staff-0-counselor_id": "",
        "prices-0-item": "代理记账",
        "prices-0-unit": "户·年",
        "prices-0-price": "1200",
        "prices-1-item": "品牌策划",
        "prices-1-unit": "次",
        "prices-1-price": "3000.50",
    }
    fields.update(overrides)
    return fields


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


def post_form(client, page_url, url=None, data=None, **kwargs):
    """Open ``page_url``, then post ``data`` to ``url`` with the page's CSRF token."""
    page = client.get(page_url).get_data(as_text=True)
    fields = {**(data or {}), "csrf_token": csrf_token_from(page)}
    return client.post(url or page_url, data=fields, **kwargs)


def nominate(admin, **overrides):
    """Create and submit a nomination in ``admin``'s department; return it."""
    from workflow import nominations

    return nominations.create_nomination(
        admin, nomination_values(**overrides), submit=True
    )


def counselor_in_notice(admin, reviewer, **overrides):
    """Nominate, review and approve a counselor at the frozen time."""
    record = nominations.create_nomination(
        admin, nomination_values(**overrides), submit=True
    )
    engine.fire(Counselor, record.id, "start_review", reviewer)
    return engine.fire(Counselor, record.id, "approve", reviewer)


def appointed_counselor(admin, reviewer, **overrides):
    """Take a counselor through the notice to appointment; restore the clock."""
    started = clock.now()
    record = counselor_in_notice(admin, reviewer, **overrides)
    after_notice = record.notice_ends_on + timedelta(days=1)
    clock.freeze(datetime.combine(after_notice, started.time()))
    record = engine.fire(Counselor, record.id, "appoint", reviewer)
    clock.freeze(started)
    return record
