"""Odd requests a browser or a careless script can send get a clean answer."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token_from, field_errors
from workflow.counselor_rules import check_name
from workflow.demo import seed_demo
from workflow.divisions import is_known_division
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models import AuditEvent, Role
from workflow.states.counselor import CounselorState as S


@pytest.fixture
def reviewer_client(make_user, sign_in, frozen_clock):
    return sign_in(make_user("420525", Role.REVIEWER))


@pytest.mark.parametrize(
    "path",
    [
        "/counselors/99999999999999999999",
        "/counselors/9223372036854775808",
        "/counselors/2147483648",
    ],
)
def test_huge_record_id_not_found(reviewer_client, path):
    response = reviewer_client.get(path)

    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/?page=9223372036854775807", "/registry?page=99999999999999999999"]
)
def test_page_past_end_shows_last_page(reviewer_client, make_counselor, url):
    make_counselor("420525", S.NOMINATED, name="倪推荐")

    response = reviewer_client.get(url)

    assert response.status_code == 200
    assert "倪推荐" in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", ["/", "/registry"])
def test_latest_possible_date_filter(reviewer_client, make_counselor, endpoint):
    make_counselor("420525", S.NOMINATED, name="倪推荐")

    response = reviewer_client.get(f"{endpoint}?submitted_to=9999-12-31")

    assert response.status_code == 200
    assert "倪推荐" in response.get_data(as_text=True)


def test_reversed_date_range_explained(reviewer_client):
    response = reviewer_client.get(
        "/registry?submitted_from=2026-03-01&submitted_to=2026-02-01"
    )

    assert "结束日期不能早于开始日期。" in response.get_data(as_text=True)


def test_sign_out_by_get_explained_in_chinese(reviewer_client):
    response = reviewer_client.get("/sign-out")

    assert response.status_code == 405
    assert "操作方式不正确" in response.get_data(as_text=True)


def test_step_with_bad_version_explained(reviewer_client, make_counselor):
    record = make_counselor("420525", S.NOMINATED)
    page = reviewer_client.get(f"/counselors/{record.id}").get_data(as_text=True)

    response = reviewer_client.post(
        f"/counselors/{record.id}/step",
        data={
            "trigger": "start_review",
            "version": "abc",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 400
    assert "请求无效" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_sign_in_next_with_line_break_ignored(app, make_user):
    user = make_user("420525", Role.REVIEWER)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)

    response = client.post(
        "/sign-in?next=/%0d%0aSet-Cookie:x=1",
        data={
            "username": user.username,
            "password": "correct horse battery",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("name", ["𠮷野", "李〇", "阿依古丽·买买提", "John Smith"])
def test_real_names_accepted(name):
    check_name(name)


@pytest.mark.parametrize("name", ["张\n三", "张\t三", "张", "<b>张三</b>"])
def test_malformed_names_rejected(name):
    with pytest.raises(DomainValidationError, match="name"):
        check_name(name)


@pytest.mark.parametrize(
    ("code", "known"),
    [("420525", True), ("420521", True), ("510212", True), ("420599", False)],
)
def test_former_division_codes_known(code, known):
    # 420521 was 宜昌县 until 2000 and 510212 沙坪坝区 of 重庆 under 四川
    # until 1997; people born there still carry those codes.
    assert is_known_division(code) is known


def test_count_with_letters_has_one_message(make_user, sign_in):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    page = client.get("/counselors/new").get_data(as_text=True)

    response = client.post(
        "/counselors/new",
        data={"served_cooperatives": "abc", "csrf_token": csrf_token_from(page)},
    )

    assert (
        len(field_errors(response.get_data(as_text=True), "served_cooperatives")) == 1
    )


def test_demo_history_not_in_future(app_context, frozen_clock):
    now = frozen_clock(datetime(2026, 12, 4, 23, 0))

    seed_demo(password="demo-password-1")

    latest = db.session.scalar(select(func.max(AuditEvent.created_at)))
    assert latest <= now
