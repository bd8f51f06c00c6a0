"""The queue and registry pages: filters from the URL, paging, waiting days."""

from datetime import datetime

import pytest

from workflow.models import Role
from workflow.states.counselor import CounselorState as S


@pytest.fixture
def reviewer_client(make_user, sign_in, frozen_clock):
    return sign_in(make_user("420525", Role.REVIEWER))


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_queue_lists_own_waiting_records(reviewer_client, make_counselor):
    make_counselor("420525", S.NOMINATED, name="倪推荐")
    make_counselor("420525", S.APPOINTED, name="蔺聘任")
    make_counselor("420526", S.NOMINATED, name="兴山人")

    page = _page(reviewer_client, "/")

    assert "倪推荐" in page
    assert "蔺聘任" not in page
    assert "兴山人" not in page


def test_queue_shows_days_waiting_and_masked_id(reviewer_client, make_counselor):
    record = make_counselor(
        "420525", S.NOMINATED, state_changed_at=datetime(2026, 2, 20, 16, 0)
    )

    page = _page(reviewer_client, "/")

    assert '<td class="num">10</td>' in page
    assert f"{record.id_number[:6]}********{record.id_number[-4:]}" in page
    assert record.id_number not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("state=under_review", "申审核", "倪推荐"),
        ("q=审核", "申审核", "倪推荐"),
        ("submitted_from=2026-02-02", "申审核", "倪推荐"),
        ("submitted_to=2026-02-01", "倪推荐", "申审核"),
        ("work_area=财务会计", "申审核", "倪推荐"),
    ],
)
def test_queue_filters_from_url(reviewer_client, make_counselor, query, shown, hidden):
    make_counselor(
        "420525", S.NOMINATED, name="倪推荐", submitted_at=datetime(2026, 2, 1)
    )
    make_counselor(
        "420525",
        S.UNDER_REVIEW,
        name="申审核",
        submitted_at=datetime(2026, 2, 2),
        work_areas=["财务会计"],
    )

    page = _page(reviewer_client, f"/?{query}")

    assert shown in page
    assert hidden not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=appointed", "状态：不是有效的选择。"),
        ("state=bogus", "状态：不是有效的选择。"),
        ("submitted_from=yesterday", "提交日期自：不是有效的日期值。"),
        ("q=" + "王" * 31, "姓名、名称或证件号码：字段长度不能超过 30 个字符。"),
    ],
)
def test_queue_ignores_invalid_filter(reviewer_client, make_counselor, query, message):
    make_counselor("420525", S.NOMINATED, name="倪推荐")

    page = _page(reviewer_client, f"/?{query}")

    assert "倪推荐" in page
    assert f'<div class="error">{message}</div>' in page


def test_queue_pages(app, reviewer_client, make_counselor, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    for day in range(1, 6):
        make_counselor("420525", S.NOMINATED, state_changed_at=datetime(2026, 2, day))

    first = _page(reviewer_client, "/?state=nominated")
    last = _page(reviewer_client, "/?state=nominated&page=3")

    assert "共 5 条，第 1 / 3 页" in first
    assert "page=2" in first
    assert "state=nominated" in first
    assert "共 5 条，第 3 / 3 页" in last
    assert "下一页" not in last


def test_queue_count_stops_at_limit(app, reviewer_client, make_counselor, monkeypatch):
    monkeypatch.setattr("workflow.queue.COUNT_LIMIT", 4)
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    for day in range(1, 7):
        make_counselor("420525", S.NOMINATED, state_changed_at=datetime(2026, 2, day))

    first = _page(reviewer_client, "/")
    past_limit = _page(reviewer_client, "/?page=3")

    assert "超过 4 条，第 1 / 2 页" in first
    assert "超过 4 条，第 2 / 2 页" in past_limit
    assert "下一页" not in past_limit


def test_queue_pages_keep_waiting_order(
    app, reviewer_client, make_counselor, monkeypatch
):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    # Ids in the opposite order of the waiting times.
    names = ["戊五", "丁四", "丙三", "乙二", "甲一"]
    for day, name in zip(range(5, 0, -1), names, strict=True):
        make_counselor(
            "420525",
            S.NOMINATED,
            name=name,
            state_changed_at=datetime(2026, 2, day),
        )

    pages = [_page(reviewer_client, f"/?page={n}") for n in (1, 2, 3)]

    shown = [
        name
        for page in pages
        for name in sorted((name for name in names if name in page), key=page.index)
    ]
    assert shown == ["甲一", "乙二", "丙三", "丁四", "戊五"]


def test_registry_county_filter_for_prefecture(make_user, sign_in, make_counselor):
    make_counselor("420525", S.APPOINTED, name="远安人")
    make_counselor("420526", S.APPOINTED, name="兴山人")
    client = sign_in(make_user("420500", Role.SUPERVISOR))

    page = _page(client, "/registry?county=420526")

    assert "兴山人" in page
    assert "远安人" not in page


def test_registry_county_filter_outside_jurisdiction(
    make_user, sign_in, make_counselor
):
    make_counselor("420102", S.APPOINTED, name="江岸人")
    client = sign_in(make_user("420500", Role.SUPERVISOR))

    page = _page(client, "/registry?county=420102")

    assert "江岸人" not in page


def test_pages_need_sign_in(app):
    response = app.test_client().get("/registry")

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
