"""Two centers through the web pages: one kept after rectification, one revoked.

Each outcome is checked on the public page, which needs no sign-in.
"""

import re
from datetime import datetime

from sqlalchemy import select

from tests.center_pages import (
    flashes,
    post_form,
    post_on_center,
    upload_required_files,
)
from tests.helpers import application_form, credit_code
from workflow.extensions import db
from workflow.models import Role, ServiceCenter
from workflow.states.service_center import CenterState

REGISTRATION = {
    "name": "远安县农民合作社联合社",
    "county_code": "420525",
    "contact_person": "刘红梅",
    "contact_phone": "13800001111",
    "email": "lhm@example.com",
    "password": "long enough secret",
    "password_again": "long enough secret",
}


def _register_and_confirm(app, smtp_server):
    client = app.test_client()
    code = credit_code(7)
    response = post_form(
        client, "/apply/register", {**REGISTRATION, "credit_code": code}
    )
    assert response.status_code == 303
    message = smtp_server.messages[-1]
    link = re.search(r"http://localhost(/apply/confirm/\S+)", message.get_content())
    confirmed = client.get(link.group(1), follow_redirects=True)
    assert "邮箱已确认" in confirmed.get_data(as_text=True)
    return code


def _sign_in_applicant(app, code):
    client = app.test_client()
    response = post_form(
        client,
        "/sign-in",
        {"username": code, "password": REGISTRATION["password"]},
    )
    assert response.status_code == 302
    return client


def _apply(client, **overrides):
    response = post_form(client, "/centers/new", application_form(**overrides))
    assert response.status_code == 303, flashes(response)
    center_id = int(response.headers["Location"].rsplit("/", 1)[1])
    upload_required_files(client, center_id)
    post_on_center(client, center_id, "step", {"trigger": "submit"})
    return center_id


def _file(reviewer_client, center_id):
    post_on_center(reviewer_client, center_id, "step", {"trigger": "start_review"})
    response = post_on_center(
        reviewer_client, center_id, "review", {"decision": "file", "reason": ""}
    )
    return response


def _center(center_id):
    db.session.expire_all()
    return db.session.get(ServiceCenter, center_id)


def _public(app, path="/public/centers"):
    return app.test_client().get(path).get_data(as_text=True)


def test_center_kept_after_rectification(
    app, make_user, sign_in, smtp_server, attachment_folder, frozen_clock
):
    reviewer = sign_in(make_user("420525", Role.REVIEWER))
    code = _register_and_confirm(app, smtp_server)
    applicant = _sign_in_applicant(app, code)

    center_id = _apply(applicant)
    assert "远安县新型农业经营主体服务中心" in reviewer.get("/").get_data(as_text=True)
    _file(reviewer, center_id)

    center = _center(center_id)
    assert center.state is CenterState.FILED
    assert center.filing_number == "FW-420525-2026-001"
    listing = _public(app)
    assert "FW-420525-2026-001" in listing
    detail = _public(app, f"/public/centers/{center_id}")
    assert "3000.50" in detail

    frozen_clock(datetime(2026, 3, 10, 9, 0))
    post_form(
        applicant,
        f"/centers/{center_id}/prices",
        {
            "version": str(center.version),
            "prices-0-item": "代理记账",
            "prices-0-unit": "户·年",
            "prices-0-price": "1000",
            "prices-1-item": "品牌策划",
            "prices-1-unit": "次",
            "prices-1-price": "3000.50",
        },
    )
    detail = _public(app, f"/public/centers/{center_id}")
    assert re.search(r"代理记账.*?1200\.00.*?1000\.00", detail, re.S)

    response = post_on_center(
        reviewer,
        center_id,
        "evaluation",
        {
            "year": "2025",
            "service_quality": "55",
            "management": "60",
            "satisfaction": "62",
            "comment": "服务记录不完整，价格未在场所公示。",
            "deadline": "2026-04-10",
        },
    )
    assert "限期整改中" in " ".join(flashes(reviewer.get(f"/centers/{center_id}")))
    assert _center(center_id).state is CenterState.RECTIFYING
    assert "限期整改中" in _public(app)

    post_on_center(
        applicant,
        center_id,
        "step",
        {"trigger": "submit_rectification", "comment": "已补全台账并在大厅公示价格。"},
    )
    assert _center(center_id).state is CenterState.RECTIFICATION_SUBMITTED
    post_on_center(reviewer, center_id, "step", {"trigger": "accept_rectification"})

    center = _center(center_id)
    assert center.state is CenterState.FILED
    assert center.rectification_deadline is None
    listing = _public(app)
    assert "限期整改中" not in listing
    assert "FW-420525-2026-001" in listing
    assert response.status_code == 303


def test_center_revoked_after_deadline(
    app, make_user, make_applicant, sign_in, frozen_clock
):
    reviewer = sign_in(make_user("420525", Role.REVIEWER))
    applicant = sign_in(make_applicant())
    center_id = _apply(applicant, name="远安县为农服务中心")
    _file(reviewer, center_id)
    post_on_center(
        reviewer,
        center_id,
        "rectification-order",
        {"deadline": "2026-03-20", "reason": "收费高于公示价格。"},
    )
    assert "远安县为农服务中心" in _public(app)

    frozen_clock(datetime(2026, 3, 23, 9, 0))
    late = post_on_center(
        applicant,
        center_id,
        "step",
        {"trigger": "submit_rectification", "comment": "已退还多收费用。"},
    )
    assert "整改期限已于 2026-03-20 届满" in " ".join(
        flashes(applicant.get(late.headers["Location"]))
    )
    post_on_center(
        reviewer, center_id, "step", {"trigger": "revoke", "comment": "逾期未整改。"}
    )

    assert _center(center_id).state is CenterState.REVOKED
    listing = _public(app)
    assert f'href="/public/centers/{center_id}"' not in listing
    assert re.search(r"远安县为农服务中心.*?已撤销备案.*?2026-03-23", listing, re.S)
    assert app.test_client().get(f"/public/centers/{center_id}").status_code == 404
    revoked = db.session.scalars(
        select(ServiceCenter).where(ServiceCenter.state == CenterState.REVOKED)
    ).all()
    assert [center.id for center in revoked] == [center_id]
