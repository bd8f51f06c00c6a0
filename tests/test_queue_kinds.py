"""Counselors and service centers in one reviewer queue, filterable by kind."""

from datetime import datetime

import pytest

from tests.helpers import application_values, nomination_values
from workflow import clock, nominations, service_centers
from workflow.extensions import db
from workflow.models import Role
from workflow.queue import Filters, queue_page, queue_query
from workflow.states.counselor import CounselorState
from workflow.states.service_center import CenterState


@pytest.fixture
def waiting(make_user, make_applicant, frozen_clock):
    """A nominated counselor (older) and a submitted center (newer)."""
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    counselor = nominations.create_nomination(admin, nomination_values(), True)
    frozen_clock(datetime(2026, 3, 3, 9, 0))
    center = service_centers.create_application(make_applicant(), application_values())
    center.state = CenterState.SUBMITTED
    center.submitted_at = center.state_changed_at = clock.now()
    db.session.commit()
    return counselor, center


def _kinds(page):
    return [(item.kind, item.record.id) for item in page.items]


def test_queue_holds_both_kinds_oldest_first(make_user, waiting):
    counselor, center = waiting
    reviewer = make_user("420525", Role.REVIEWER)

    page = queue_page(reviewer, Filters(), 1, 50)

    assert _kinds(page) == [("counselor", counselor.id), ("service_center", center.id)]
    assert page.total == 2


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(kind="counselor"), ["counselor"]),
        (Filters(kind="service_center"), ["service_center"]),
        (Filters(state="submitted"), ["service_center"]),
        (Filters(state="nominated"), ["counselor"]),
        (Filters(search="服务中心"), ["service_center"]),
        (Filters(search="张桂兰"), ["counselor"]),
        (Filters(work_area="财务会计"), ["service_center"]),
    ],
)
def test_queue_filters_by_kind_and_state(make_user, waiting, filters, expected):
    reviewer = make_user("420525", Role.REVIEWER)

    page = queue_page(reviewer, filters, 1, 50)

    assert [item.kind for item in page.items] == expected


def test_counselor_part_matches_counselor_query(make_user, waiting):
    reviewer = make_user("420525", Role.REVIEWER)
    filters = Filters(state=CounselorState.NOMINATED)

    counselors_only = db.session.scalars(queue_query(reviewer, filters)).all()
    page = queue_page(reviewer, Filters(kind="counselor", state="nominated"), 1, 50)

    assert [item.record for item in page.items] == counselors_only


def test_filed_center_leaves_queue(make_user, waiting):
    _, center = waiting
    reviewer = make_user("420525", Role.REVIEWER)
    center.state = CenterState.FILED
    db.session.commit()

    page = queue_page(reviewer, Filters(kind="service_center"), 1, 50)

    assert page.items == []


def test_queue_pages_across_kinds(make_user, waiting):
    counselor, center = waiting
    reviewer = make_user("420525", Role.REVIEWER)

    first = queue_page(reviewer, Filters(), 1, 1)
    second = queue_page(reviewer, Filters(), 2, 1)

    assert _kinds(first) == [("counselor", counselor.id)]
    assert _kinds(second) == [("service_center", center.id)]
    assert second.pages == 2


def test_queue_page_lists_both_kinds(make_user, waiting, sign_in):
    counselor, center = waiting
    client = sign_in(make_user("420525", Role.REVIEWER))

    everything = client.get("/").get_data(as_text=True)
    centers_only = client.get("/?kind=service_center").get_data(as_text=True)

    assert counselor.name in everything
    assert center.name in everything
    assert center.name in centers_only
    assert counselor.name not in centers_only
    assert counselor.masked_id_number in everything


def test_registry_admin_queue_has_no_centers(make_user, waiting):
    _, center = waiting
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    draft = nominations.create_nomination(
        admin, nomination_values(id_number="420525197806120015", gender="男"), False
    )

    page = queue_page(admin, Filters(), 1, 50)

    assert _kinds(page) == [("counselor", draft.id)]
    assert center.state is CenterState.SUBMITTED
