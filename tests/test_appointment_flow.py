"""The whole appointment path through the web pages, as a county would use it."""

import re
from datetime import datetime

from sqlalchemy import select

from tests.helpers import csrf_token_from
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.states.counselor import CounselorState

NOMINATION_FORM = {
    "name": "李建国",
    "gender": "男",
    "id_number": "420525197806120015",
    "ethnicity": "汉族",
    "political_status": "群众",
    "education": "大学专科",
    "employer": "远安县农技推广中心",
    "mobile": "13912345678",
    "source": "农技员",
    "work_areas": ["技术支持", "绿色发展"],
    "industries": ["粮食作物"],
    "working_mode": "兼职",
    "entry_mode": "聘任",
    "service_area_codes": ["420525"],
    "served_cooperatives": "4",
    "served_family_farms": "6",
    "served_others": "0",
}


def _post_form(client, url, fields):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**fields, "csrf_token": token})


def _post_on_record_page(client, record_id, url, fields):
    page = client.get(f"/counselors/{record_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return client.post(
        url,
        data={**fields, "csrf_token": csrf_token_from(page), "version": version},
    )


def test_county_appoints_nominee_end_to_end(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    frozen_clock(datetime(2026, 3, 2, 9, 0))

    response = _post_form(
        sign_in(admin),
        "/counselors/new",
        {**NOMINATION_FORM, "submit_nomination": "提交推荐"},
    )
    assert response.status_code == 303
    record = db.session.scalar(select(Counselor))
    assert record.state is CounselorState.NOMINATED

    client = sign_in(reviewer)
    queue = client.get("/").get_data(as_text=True)
    assert "李建国" in queue
    url = f"/counselors/{record.id}"
    _post_on_record_page(client, record.id, f"{url}/step", {"trigger": "start_review"})
    _post_on_record_page(
        client, record.id, f"{url}/review", {"decision": "approve", "reason": ""}
    )
    db.session.expire_all()
    assert record.state is CounselorState.PUBLIC_NOTICE
    assert record.notice_ends_on.isoformat() == "2026-03-09"

    frozen_clock(datetime(2026, 3, 10, 9, 0))
    _post_on_record_page(client, record.id, f"{url}/step", {"trigger": "appoint"})

    db.session.expire_all()
    assert record.state is CounselorState.APPOINTED
    assert record.certificate_number == "420525-2026-0001"
    page = client.get(url).get_data(as_text=True)
    assert "420525-2026-0001" in page
    history = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == record.id)
    ).all()
    assert history == ["nominate", "start_review", "approve", "appoint"]
