"""Counselor pages: jurisdiction, CSRF, the nomination form and decisions."""

import re

import pytest
from sqlalchemy import func, select

from tests.helpers import (
    csrf_token_from,
    field_errors,
    flash_messages,
    nomination_form,
    version_from,
)
from workflow.extensions import db
from workflow.models import AuditEvent, Counselor, Role
from workflow.states.counselor import CounselorState as S

ANCESTOR_MESSAGE = "只有聘任部门可以处理该记录，上级部门仅可查看。"


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _reload(record):
    db.session.expire_all()
    return db.session.get(Counselor, record.id)


def _token(client, url="/"):
    return csrf_token_from(client.get(url).get_data(as_text=True))


def _post_and_follow(client, url, fields):
    response = client.post(url, data=fields)
    assert response.status_code == 303, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _decide(client, record, path, fields, record_page=None):
    """Post ``fields`` from the record page as a user would; return the next page.

    ``record_page`` is the record page as the user loaded it earlier; by
    default the page is loaded now.
    """
    if record_page is None:
        record_page = client.get(f"/counselors/{record.id}").get_data(as_text=True)
    fields = {
        **fields,
        "csrf_token": csrf_token_from(record_page),
        "version": version_from(record_page),
    }
    return _post_and_follow(client, f"/counselors/{record.id}/{path}", fields)


# Jurisdiction through the web.


@pytest.mark.parametrize(
    "path", ["/counselors/{id}", "/counselors/{id}/edit", "/counselors/999999"]
)
def test_sibling_get_not_found(make_user, make_counselor, sign_in, path):
    record = make_counselor("420525", S.DRAFT)
    sibling = sign_in(make_user("420526", Role.REVIEWER, Role.REGISTRY_ADMIN))

    response = sibling.get(path.format(id=record.id))

    assert response.status_code == 404
    assert "不在您的辖区内" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "state", "fields"),
    [
        ("step", S.NOMINATED, {"trigger": "start_review"}),
        ("review", S.UNDER_REVIEW, {"decision": "approve", "reason": ""}),
        ("review", S.UNDER_REVIEW, {"decision": "reject", "reason": "材料不实"}),
        ("edit", S.DRAFT, nomination_form(mobile="13700002222")),
    ],
)
def test_sibling_post_not_found(
    make_user, make_counselor, sign_in, frozen_clock, path, state, fields
):
    record = make_counselor("420525", state)
    sibling = sign_in(make_user("420526", Role.REVIEWER, Role.REGISTRY_ADMIN))
    token = _token(sibling)

    response = sibling.post(
        f"/counselors/{record.id}/{path}",
        data={**fields, "csrf_token": token, "version": str(record.version)},
    )

    assert response.status_code == 404
    assert _reload(record).state is state
    assert _reload(record).mobile == "13900001111"
    assert _count(AuditEvent) == 0


def test_ancestor_reads_record_page(make_user, make_counselor, sign_in):
    record = make_counselor("420525", S.UNDER_REVIEW, name="欧阳明")
    prefecture = sign_in(make_user("420500", Role.REVIEWER))

    page = prefecture.get(f"/counselors/{record.id}").get_data(as_text=True)

    assert "欧阳明" in page
    assert "办理记录" in page
    assert "提交审核意见" not in page
    assert 'name="trigger"' not in page


def test_ancestor_lists_record_in_registry(make_user, make_counselor, sign_in):
    make_counselor("420525", S.APPOINTED, name="欧阳明")
    province = sign_in(make_user("420000", Role.SUPERVISOR))

    page = province.get("/registry").get_data(as_text=True)

    assert "欧阳明" in page
    assert "远安县农业农村局" in page


@pytest.mark.parametrize(
    ("path", "state", "fields"),
    [
        ("step", S.NOMINATED, {"trigger": "start_review"}),
        ("step", S.PUBLIC_NOTICE, {"trigger": "appoint"}),
        ("review", S.UNDER_REVIEW, {"decision": "approve", "reason": ""}),
    ],
)
def test_ancestor_step_refused_with_message(
    make_user, make_counselor, sign_in, frozen_clock, path, state, fields
):
    record = make_counselor("420525", state)
    prefecture = sign_in(make_user("420500", Role.REVIEWER, Role.LEADER))
    token = _token(prefecture, f"/counselors/{record.id}")

    page = _post_and_follow(
        prefecture,
        f"/counselors/{record.id}/{path}",
        {**fields, "csrf_token": token, "version": str(record.version)},
    )

    assert ANCESTOR_MESSAGE in flash_messages(page)
    assert _reload(record).state is state
    assert _count(AuditEvent) == 0


def test_ancestor_edit_refused_with_message(make_user, make_counselor, sign_in):
    record = make_counselor("420525", S.DRAFT)
    prefecture = sign_in(make_user("420500", Role.REGISTRY_ADMIN))

    response = prefecture.get(f"/counselors/{record.id}/edit")
    page = prefecture.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 303
    assert ANCESTOR_MESSAGE in flash_messages(page)


def test_ancestor_edit_post_changes_nothing(
    make_user, make_counselor, sign_in, frozen_clock
):
    record = make_counselor("420525", S.DRAFT)
    prefecture = sign_in(make_user("420500", Role.REGISTRY_ADMIN))
    fields = nomination_form(id_number=record.id_number, mobile="13700002222")

    page = _post_and_follow(
        prefecture,
        f"/counselors/{record.id}/edit",
        {**fields, "csrf_token": _token(prefecture), "version": "1"},
    )

    assert ANCESTOR_MESSAGE in flash_messages(page)
    assert _reload(record).mobile == "13900001111"
    assert _count(AuditEvent) == 0


@pytest.mark.parametrize("roles", [(Role.REVIEWER,), (Role.LEADER, Role.SUPERVISOR)])
def test_nomination_form_refused_without_admin_role(make_user, sign_in, roles):
    client = sign_in(make_user("420525", *roles))

    response = client.get("/counselors/new")

    assert response.status_code == 403


# CSRF.


def _csrf_cases():
    return [
        ("/counselors/new", S.DRAFT, nomination_form(submit_nomination="提交推荐")),
        ("/counselors/{id}/step", S.NOMINATED, {"trigger": "start_review"}),
        ("/counselors/{id}/review", S.UNDER_REVIEW, {"decision": "approve"}),
        ("/counselors/{id}/edit", S.DRAFT, nomination_form(mobile="13700002222")),
    ]


@pytest.mark.parametrize(("path", "state", "fields"), _csrf_cases())
@pytest.mark.parametrize("token", [None, "forged", "other-session"])
def test_csrf_rejected(
    make_user, make_counselor, sign_in, frozen_clock, path, state, fields, token
):
    record = make_counselor("420525", state)
    user = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER)
    client = sign_in(user)
    fields = {**fields, "version": str(record.version)}
    if token == "forged":
        fields["csrf_token"] = "IjEyMzQ1Njc4OTAi.aBcDeF.forged-signature"
    elif token == "other-session":
        fields["csrf_token"] = _token(sign_in(user))

    response = client.post(path.format(id=record.id), data=fields)

    assert response.status_code == 400
    assert "请求已失效" in response.get_data(as_text=True)
    assert _count(Counselor) == 1
    assert _reload(record).state is state
    assert _reload(record).mobile == "13900001111"
    assert _count(AuditEvent) == 0


def test_sign_out_needs_csrf_token(make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.post("/sign-out")

    assert response.status_code == 400
    assert client.get("/").status_code == 200


# The nomination form.


@pytest.fixture
def admin_client(make_user, sign_in, frozen_clock):
    return sign_in(make_user("420525", Role.REGISTRY_ADMIN))


def _submit_nomination(client, **overrides):
    fields = nomination_form(**overrides)
    fields.update(
        csrf_token=_token(client, "/counselors/new"), submit_nomination="提交推荐"
    )
    return client.post("/counselors/new", data=fields)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "此项为必填项。"),
        ("name", "王", "姓名应为2至30个汉字或字母，可含间隔号“·”。"),
        ("name", "王2号", "姓名应为2至30个汉字或字母，可含间隔号“·”。"),
        ("gender", "", "此项为必填项。"),
        ("gender", "男", "性别与身份证号码不一致（号码显示为女）。"),
        ("id_number", "", "此项为必填项。"),
        ("id_number", "42052519850315002", "身份证号码应为18位"),
        ("id_number", "420525198503150028", "身份证号码校验位不正确，请核对号码。"),
        ("id_number", "42052519850230002X", "身份证号码中的出生日期无效。"),
        ("id_number", "420525202701010024", "身份证号码中的出生日期不能晚于今天。"),
        ("id_number", "420599198503150021", "前6位不是有效的行政区划代码"),
        ("ethnicity", "", "此项为必填项。"),
        ("ethnicity", "火星族", "不是有效的选择。"),
        ("political_status", "", "此项为必填项。"),
        ("education", "", "此项为必填项。"),
        ("employer", "", "此项为必填项。"),
        ("employer", "社" * 101, "字段长度不能超过 100 个字符。"),
        ("position", "职" * 61, "字段长度不能超过 60 个字符。"),
        ("mobile", "", "此项为必填项。"),
        ("mobile", "1390000111", "手机号码应为以1开头的11位数字。"),
        ("mobile", "23900001111", "手机号码应为以1开头的11位数字。"),
        ("email", "not-an-email", "电子邮箱格式不正确，应形如 name@example.com。"),
        ("source", "", "此项为必填项。"),
        ("work_areas", [], "请至少选择一项辅导员类型。"),
        ("work_areas", ["乱写"], "请只选择列出的选项。"),
        ("industries", [], "请至少选择一个产业领域。"),
        ("working_mode", "", "此项为必填项。"),
        ("entry_mode", "", "此项为必填项。"),
        ("service_area_codes", [], "请至少选择一个服务区域。"),
        ("service_area_codes", ["420526"], "请只选择列出的选项。"),
        ("served_cooperatives", "-1", "数量应为0至100000之间的整数。"),
        ("served_family_farms", "abc", "不是有效的整数。"),
    ],
)
def test_invalid_field_message_beside_field(admin_client, field, value, message):
    response = _submit_nomination(admin_client, **{field: value})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(html, field))
    assert _count(Counselor) == 0
    assert _count(AuditEvent) == 0


def test_invalid_form_keeps_entered_values(admin_client):
    response = _submit_nomination(admin_client, mobile="123", employer="远安县果茶社")

    html = response.get_data(as_text=True)
    assert 'value="远安县果茶社"' in html
    assert 'value="123"' in html


@pytest.mark.parametrize("state", [S.NOMINATED, S.APPOINTED, S.DRAFT])
def test_duplicate_id_names_holding_department(admin_client, make_counselor, state):
    holder = make_counselor("420526", state)

    response = _submit_nomination(admin_client, id_number=holder.id_number)

    errors = field_errors(response.get_data(as_text=True), "id_number")
    assert response.status_code == 200
    assert any("兴山县农业农村局" in error for error in errors)
    assert _count(Counselor) == 1


@pytest.mark.parametrize(
    "typed", ["11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ"]
)
def test_id_number_normalised_on_save(admin_client, typed):
    response = _submit_nomination(admin_client, id_number=typed)

    assert response.status_code == 303
    assert db.session.scalar(select(Counselor.id_number)) == "11010519491231002X"


def test_draft_saved_without_submitting(admin_client):
    fields = nomination_form()
    fields.update(csrf_token=_token(admin_client, "/counselors/new"), save="保存")

    response = admin_client.post("/counselors/new", data=fields)

    assert response.status_code == 303
    assert db.session.scalar(select(Counselor.state)) is S.DRAFT


# Review decisions.


@pytest.fixture
def reviewer_client(make_user, sign_in, frozen_clock):
    return sign_in(make_user("420525", Role.REVIEWER))


@pytest.mark.parametrize("decision", ["return_for_revision", "reject"])
def test_decision_without_reason_refused(reviewer_client, make_counselor, decision):
    record = make_counselor("420525", S.UNDER_REVIEW)
    record_page = reviewer_client.get(f"/counselors/{record.id}").get_data(as_text=True)

    response = reviewer_client.post(
        f"/counselors/{record.id}/review",
        data={
            "decision": decision,
            "reason": "  ",
            "csrf_token": csrf_token_from(record_page),
            "version": version_from(record_page),
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_errors(page, "reason") == ["退回修改或不予通过时必须填写理由。"]
    assert re.search(rf'<input checked[^>]*value="{decision}"', page)
    assert _reload(record).state is S.UNDER_REVIEW
    assert _count(AuditEvent) == 0


def test_return_with_reason_records_it(reviewer_client, make_counselor):
    record = make_counselor("420525", S.UNDER_REVIEW)

    page = _decide(
        reviewer_client,
        record,
        "review",
        {"decision": "return_for_revision", "reason": "请补充服务主体情况。"},
    )

    assert "已完成：退回修改。" in flash_messages(page)
    assert "请补充服务主体情况。" in page
    assert _reload(record).state is S.RETURNED


def test_second_reviewer_told_who_decided(
    make_user, make_counselor, sign_in, frozen_clock
):
    record = make_counselor("420525", S.UNDER_REVIEW)
    first_user = make_user("420525", Role.REVIEWER)
    first = sign_in(first_user)
    second = sign_in(make_user("420525", Role.REVIEWER))
    second_page = second.get(f"/counselors/{record.id}").get_data(as_text=True)
    _decide(first, record, "review", {"decision": "approve"})

    page = _decide(
        second,
        record,
        "review",
        {"decision": "reject", "reason": "材料不实"},
        record_page=second_page,
    )

    expected = f"该记录已由 {first_user.display_name} 于 2026-03-02 09:00 处理"
    assert any(expected in message for message in flash_messages(page))
    assert _reload(record).state is S.PUBLIC_NOTICE
    assert _count(AuditEvent) == 1


@pytest.mark.parametrize("version", ["", "abc"])
def test_step_without_valid_version_rejected(reviewer_client, make_counselor, version):
    record = make_counselor("420525", S.NOMINATED)
    token = _token(reviewer_client, f"/counselors/{record.id}")

    response = reviewer_client.post(
        f"/counselors/{record.id}/step",
        data={"trigger": "start_review", "csrf_token": token, "version": version},
    )

    assert response.status_code == 400
    assert _reload(record).state is S.NOMINATED


def test_step_not_allowed_in_state_refused(reviewer_client, make_counselor):
    record = make_counselor("420525", S.NOMINATED)

    page = _decide(reviewer_client, record, "step", {"trigger": "appoint"})

    assert "该记录当前状态下不能执行此操作。" in flash_messages(page)
    assert _reload(record).state is S.NOMINATED
    assert _count(AuditEvent) == 0


def test_reviewer_takes_step_from_record_page(reviewer_client, make_counselor):
    record = make_counselor("420525", S.NOMINATED)

    page = _decide(reviewer_client, record, "step", {"trigger": "start_review"})

    assert "已完成：受理审核。" in flash_messages(page)
    assert _reload(record).state is S.UNDER_REVIEW
    assert _count(AuditEvent) == 1
