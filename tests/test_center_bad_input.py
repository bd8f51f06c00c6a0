"""Bad input on the service-center pages: clear messages, nothing half-saved.

Also what an applicant account may see: its own organisation's records and,
of the counselor registry, names and types only.
"""

import pytest
from sqlalchemy import func, select

from tests.center_pages import flashes, post_form
from tests.helpers import (
    application_form,
    application_values,
    csrf_token_from,
    nomination_values,
)
from workflow import engine, nominations, service_centers
from workflow.extensions import db
from workflow.models import (
    CenterPrice,
    CenterPriceChange,
    Counselor,
    Role,
    ServiceCenter,
)
from workflow.states.service_center import CenterState


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _page(response):
    return response.get_data(as_text=True)


def test_duplicate_application_refused(make_applicant, sign_in):
    applicant = make_applicant()
    service_centers.create_application(applicant, application_values())
    client = sign_in(applicant)

    response = post_form(client, "/centers/new", application_form(name="第二个中心"))

    assert response.status_code == 200
    assert f"统一社会信用代码为 {applicant.username} 的单位已有一份" in " ".join(
        flashes(response)
    )
    assert _count(ServiceCenter) == 1
    assert "填写新的备案申请" not in _page(client.get("/centers/mine"))


def test_new_application_after_rejection(make_user, make_applicant, sign_in):
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = service_centers.create_application(applicant, application_values())
    center.state = CenterState.UNDER_REVIEW
    db.session.commit()
    engine.fire(ServiceCenter, center.id, "reject", reviewer, comment="材料虚假")

    response = post_form(sign_in(applicant), "/centers/new", application_form())

    assert response.status_code == 303
    assert _count(ServiceCenter) == 2


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-5", "价格表第 1 行：价格不能为负数。"),
        ("一百", "价格表第 1 行：价格“一百”不是有效的数字。"),
        ("12.345", "价格表第 1 行：价格最多保留两位小数"),
        ("NaN", "价格表第 1 行：价格“NaN”不是有效的数字。"),
        ("", "价格表第 1 行：价格“”不是有效的数字。"),
    ],
)
def test_application_with_bad_price_refused(make_applicant, sign_in, price, message):
    client = sign_in(make_applicant())

    response = post_form(
        client, "/centers/new", application_form(**{"prices-0-price": price})
    )

    assert response.status_code == 200
    assert message in _page(response)
    assert _count(ServiceCenter) == 0
    assert _count(CenterPrice) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"prices-1-item": "代理记账"}, "价格表第 2 行：服务项目与第 1 行重复。"),
        ({"prices-0-unit": ""}, "价格表第 1 行：请填写服务项目和计价单位。"),
        ({"services-0-work_area": ""}, "服务内容第 1 行：请选择工作领域"),
        ({"staff-0-post": ""}, "工作人员第 1 行：请填写姓名"),
        ({"registered_on": "2026-13-01"}, "不是有效的日期值"),
        ({"work_guide": ""}, "此项为必填项"),
    ],
)
def test_application_with_bad_rows_refused(make_applicant, sign_in, overrides, message):
    client = sign_in(make_applicant())

    response = post_form(client, "/centers/new", application_form(**overrides))

    assert message in _page(response)
    assert _count(ServiceCenter) == 0


def _filed(applicant, reviewer):
    center = service_centers.create_application(applicant, application_values())
    center.state = CenterState.UNDER_REVIEW
    db.session.commit()
    return engine.fire(ServiceCenter, center.id, "file", reviewer, params={})


@pytest.mark.parametrize("price", ["-1", "abc"])
def test_price_update_with_bad_price_changes_nothing(
    app, make_user, make_applicant, sign_in, frozen_clock, price
):
    saved = app.config["CENTER_REQUIRED_ATTACHMENTS"]
    app.config["CENTER_REQUIRED_ATTACHMENTS"] = ()
    try:
        applicant = make_applicant()
        center = _filed(applicant, make_user("420525", Role.REVIEWER))
    finally:
        app.config["CENTER_REQUIRED_ATTACHMENTS"] = saved
    history_before = _count(CenterPriceChange)

    response = post_form(
        sign_in(applicant),
        f"/centers/{center.id}/prices",
        {
            "version": str(center.version),
            "prices-0-item": "代理记账",
            "prices-0-unit": "户·年",
            "prices-0-price": "900",
            "prices-1-item": "品牌策划",
            "prices-1-unit": "次",
            "prices-1-price": price,
        },
    )

    assert "价格表第 2 行" in _page(response)
    db.session.expire_all()
    assert [p.price for p in center.prices] == [1200, 3000]
    assert _count(CenterPriceChange) == history_before


def test_applicant_sees_no_other_center(make_applicant, sign_in):
    owner = make_applicant()
    center = service_centers.create_application(owner, application_values())
    stranger = sign_in(make_applicant())

    for path in (
        f"/centers/{center.id}",
        f"/centers/{center.id}/edit",
        f"/centers/{center.id}/agreements",
        f"/centers/{center.id}/prices",
    ):
        assert stranger.get(path).status_code == 404, path
    assert center.name not in _page(stranger.get("/centers/mine"))


def test_applicant_cannot_step_on_other_center(make_applicant, sign_in):
    owner = make_applicant()
    center = service_centers.create_application(owner, application_values())
    stranger = sign_in(make_applicant())

    response = stranger.post(
        f"/centers/{center.id}/step",
        data={"trigger": "withdraw", "comment": "冒名", "version": "1"},
    )

    assert response.status_code in (400, 404)
    db.session.expire_all()
    assert center.state is CenterState.DRAFT


def _appointed_counselor(make_user):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominations.create_nomination(admin, nomination_values(), submit=False)
    record.state = engine.workflow_for(Counselor).states.APPOINTED
    db.session.commit()
    return record


def test_applicant_sees_counselor_name_and_type_only(
    make_user, make_applicant, sign_in
):
    counselor = _appointed_counselor(make_user)
    client = sign_in(make_applicant())

    form_page = _page(client.get("/centers/new"))

    assert "张桂兰（组织建设）" in form_page
    assert counselor.id_number not in form_page
    assert counselor.mobile not in form_page
    assert client.get(f"/counselors/{counselor.id}").status_code == 404
    assert client.get("/counselors/new").status_code == 404
    assert client.get("/registry").status_code == 403
    assert client.get("/centers/").headers["Location"] == "/centers/mine"


def test_staff_links_registered_counselor(make_user, make_applicant, sign_in):
    counselor = _appointed_counselor(make_user)
    client = sign_in(make_applicant())

    post_form(
        client,
        "/centers/new",
        application_form(**{"staff-0-counselor_id": str(counselor.id)}),
    )

    staff = db.session.scalar(select(ServiceCenter)).staff
    assert staff[0].counselor_id == counselor.id


def test_staff_link_outside_registry_refused(make_user, make_applicant, sign_in):
    client = sign_in(make_applicant())

    response = post_form(
        client, "/centers/new", application_form(**{"staff-0-counselor_id": "999"})
    )

    assert "所选辅导员不在本区县名录中" in _page(response)
    assert _count(ServiceCenter) == 0


def test_reviewer_of_other_county_sees_nothing(make_user, make_applicant, sign_in):
    center = service_centers.create_application(make_applicant(), application_values())
    outsider = sign_in(make_user("420526", Role.REVIEWER))

    response = outsider.get(f"/centers/{center.id}")

    assert response.status_code == 404


def test_prefecture_reads_but_cannot_decide(make_user, make_applicant, sign_in):
    applicant = make_applicant()
    center = service_centers.create_application(applicant, application_values())
    center.state = CenterState.SUBMITTED
    db.session.commit()
    prefecture = sign_in(make_user("420500", Role.REVIEWER))

    page = prefecture.get(f"/centers/{center.id}")
    response = prefecture.post(
        f"/centers/{center.id}/step",
        data={
            "trigger": "start_review",
            "version": str(center.version),
            "csrf_token": csrf_token_from(_page(page)),
        },
    )

    assert page.status_code == 200
    # The workflow diagram names the step too; only a button would act.
    assert ">受理审核</button>" not in _page(page)
    assert "只有聘任部门可以处理该记录" in " ".join(
        flashes(prefecture.get(response.headers["Location"]))
    )
    db.session.expire_all()
    assert center.state is CenterState.SUBMITTED
