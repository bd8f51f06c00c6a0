"""The reviewer queue (待办) and the registry list."""

from datetime import date, datetime

import pytest

from workflow.extensions import db
from workflow.models import Role
from workflow.queue import Filters, paginate, queue_query, registry_query
from workflow.states.counselor import CounselorState as S


def _names(query):
    return [record.name for record in db.session.scalars(query)]


def _queue(user, **filters):
    return _names(queue_query(user, Filters(**filters)))


def _registry(user, **filters):
    return _names(registry_query(user, Filters(**filters)))


@pytest.fixture
def county_records(make_counselor):
    """Records of 远安县 in every state, each entering it on its own day."""
    names = {
        S.DRAFT: "丁草稿",
        S.NOMINATED: "倪推荐",
        S.UNDER_REVIEW: "申审核",
        S.RETURNED: "屠退回",
        S.REJECTED: "卜驳回",
        S.PUBLIC_NOTICE: "龚公示",
        S.APPOINTED: "蔺聘任",
    }
    records = {}
    for day, (state, name) in enumerate(names.items(), start=1):
        moment = datetime(2026, 2, day, 9, 0)
        records[state] = make_counselor(
            "420525", state, name=name, state_changed_at=moment, submitted_at=moment
        )
    return records


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.REGISTRY_ADMIN,), ["丁草稿", "屠退回"]),
        ((Role.REVIEWER,), ["倪推荐", "申审核", "龚公示"]),
        ((Role.LEADER,), ["龚公示"]),
        ((Role.SUPERVISOR,), []),
        ((Role.REGISTRY_ADMIN, Role.LEADER), ["丁草稿", "屠退回", "龚公示"]),
    ],
)
def test_queue_holds_states_awaiting_roles(make_user, county_records, roles, expected):
    user = make_user("420525", *roles)

    assert _queue(user) == expected


def test_queue_oldest_first(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    for name, day in (("王三", 20), ("王一", 3), ("王二", 11)):
        make_counselor(
            "420525", S.NOMINATED, name=name, state_changed_at=datetime(2026, 2, day)
        )

    assert _queue(reviewer) == ["王一", "王二", "王三"]


@pytest.mark.parametrize("code", ["420500", "420000", "420526"])
def test_queue_excludes_other_departments(make_user, county_records, code):
    reviewer = make_user(code, Role.REVIEWER, Role.LEADER, Role.REGISTRY_ADMIN)

    assert _queue(reviewer) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": S.UNDER_REVIEW}, ["申审核"]),
        ({"state": S.APPOINTED}, []),
        ({"submitted_from": date(2026, 2, 3)}, ["申审核", "龚公示"]),
        ({"submitted_to": date(2026, 2, 3)}, ["倪推荐", "申审核"]),
        (
            {"submitted_from": date(2026, 2, 3), "submitted_to": date(2026, 2, 3)},
            ["申审核"],
        ),
        ({"search": "公示"}, ["龚公示"]),
        ({"search": " 倪 "}, ["倪推荐"]),
        ({"search": "无此人"}, []),
    ],
)
def test_queue_filters(make_user, county_records, filters, expected):
    reviewer = make_user("420525", Role.REVIEWER)

    assert _queue(reviewer, **filters) == expected


def test_queue_filter_by_work_area(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    make_counselor("420525", S.NOMINATED, name="财会", work_areas=["财务会计"])
    make_counselor("420525", S.NOMINATED, name="组建", work_areas=["组织建设"])

    assert _queue(reviewer, work_area="财务会计") == ["财会"]


def test_search_by_id_prefix(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    target = make_counselor("420525", S.NOMINATED, name="身份")
    make_counselor("420525", S.NOMINATED, name="别人")

    prefixes = [target.id_number[:n] for n in (14, 17, 18)]
    results = [_queue(reviewer, search=prefix) for prefix in prefixes]

    assert results == [["身份"], ["身份"], ["身份"]]


def test_search_by_id_accepts_lowercase_x(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    make_counselor("420525", S.NOMINATED, name="末位", id_number="11010519491231002X")

    assert _queue(reviewer, search="11010519491231002x") == ["末位"]


def test_registry_search_by_id_prefix(make_user, make_counselor):
    reviewer = make_user("420500", Role.SUPERVISOR)
    make_counselor("420525", S.NOMINATED, name="远安")
    make_counselor("420526", S.NOMINATED, name="兴山")

    assert _registry(reviewer, search="420526") == ["兴山"]


def test_registry_shows_subtree(make_user, make_counselor):
    for code, name in (("420525", "远安"), ("420526", "兴山"), ("420102", "江岸")):
        make_counselor(code, S.APPOINTED, name=name)
    prefecture = make_user("420500", Role.SUPERVISOR)
    province = make_user("420000", Role.SUPERVISOR)
    county = make_user("420526", Role.SUPERVISOR)

    assert sorted(_registry(prefecture)) == ["兴山", "远安"]
    assert sorted(_registry(province)) == ["兴山", "江岸", "远安"]
    assert _registry(county) == ["兴山"]


def test_registry_newest_first(make_user, make_counselor):
    for name, day in (("王三", 20), ("王一", 3), ("王二", 11)):
        make_counselor(
            "420525", S.APPOINTED, name=name, state_changed_at=datetime(2026, 2, day)
        )
    supervisor = make_user("420500", Role.SUPERVISOR)

    assert _registry(supervisor) == ["王三", "王二", "王一"]


def test_registry_county_filter(make_user, make_counselor):
    make_counselor("420525", S.APPOINTED, name="远安")
    make_counselor("420526", S.APPOINTED, name="兴山")
    make_counselor(
        "420525", S.APPOINTED, name="跨县", service_area_codes=["420525", "420526"]
    )
    prefecture = make_user("420500", Role.SUPERVISOR)

    assert sorted(_registry(prefecture, county_code="420526")) == ["兴山", "跨县"]


@pytest.mark.parametrize(
    ("number", "shown", "items", "has_previous", "has_next"),
    [
        (1, 1, 3, False, True),
        (2, 2, 3, True, True),
        (3, 3, 1, True, False),
        # A page past the end shows the last page.
        (9, 3, 1, True, False),
    ],
)
def test_paging_totals(
    make_user, make_counselor, number, shown, items, has_previous, has_next
):
    reviewer = make_user("420525", Role.REVIEWER)
    for day in range(1, 8):
        make_counselor("420525", S.NOMINATED, state_changed_at=datetime(2026, 2, day))

    page = paginate(queue_query(reviewer, Filters()), number, 3)

    assert page.total == 7
    assert page.pages == 3
    assert page.number == shown
    assert len(page.items) == items
    assert page.has_previous is has_previous
    assert page.has_next is has_next


def test_paging_starts_at_first_page(make_user, make_counselor):
    reviewer = make_user("420525", Role.REVIEWER)
    make_counselor("420525", S.NOMINATED)

    page = paginate(queue_query(reviewer, Filters()), 0, 3)

    assert page.number == 1
    assert len(page.items) == 1


def test_empty_listing_has_one_page(make_user):
    reviewer = make_user("420525", Role.REVIEWER)

    page = paginate(queue_query(reviewer, Filters()), 1, 3)

    assert page.total == 0
    assert page.pages == 1
