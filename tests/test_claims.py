"""Claims, reassignment and bulk actions in the queue."""

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.helpers import csrf_token_from, nominate, nomination_values
from workflow import claims, engine
from workflow.errors import NotPermitted
from workflow.extensions import db
from workflow.models import Counselor, QueueClaim, Role
from workflow.states.counselor import CounselorState

SECOND_PERSON = {"name": "李建国", "id_number": "420525197806120015", "gender": "男"}
THIRD_PERSON = {"name": "王秀英", "id_number": "420525199001010029", "gender": "女"}


def _claim(user, record):
    claims.claim(user, record)
    db.session.commit()


def test_claim_blocks_other_reviewers(make_user, frozen_clock):
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    first = make_user("420525", Role.REVIEWER)
    second = make_user("420525", Role.REVIEWER)
    _claim(first, record)

    with pytest.raises(NotPermitted) as caught:
        engine.fire(Counselor, record.id, "start_review", second)

    assert "已由" in str(caught.value.user_message)
    assert record.state is CounselorState.NOMINATED


def test_start_review_keeps_claim_and_approve_ends_it(make_user, frozen_clock):
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    reviewer = make_user("420525", Role.REVIEWER)
    _claim(reviewer, record)

    engine.fire(Counselor, record.id, "start_review", reviewer)
    held = claims.effective_claim(record)
    engine.fire(Counselor, record.id, "approve", reviewer)

    assert held.assignee_id == reviewer.id
    assert claims.effective_claim(record) is None


def test_cannot_claim_outside_own_department(make_user, frozen_clock):
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    city_reviewer = make_user("420500", Role.REVIEWER)

    with pytest.raises(NotPermitted):
        claims.claim(city_reviewer, record)


def test_admin_reassigns_from_absent_reviewer(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    absent = make_user("420525", Role.REVIEWER)
    present = make_user("420525", Role.REVIEWER)
    _claim(absent, record)

    claims.reassign(admin, record, present)
    db.session.commit()
    engine.fire(Counselor, record.id, "start_review", present)

    assert record.state is CounselorState.UNDER_REVIEW


def test_reviewer_cannot_reassign(make_user, frozen_clock):
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    first = make_user("420525", Role.REVIEWER)
    second = make_user("420525", Role.REVIEWER)
    _claim(first, record)

    with pytest.raises(NotPermitted):
        claims.reassign(second, record, second)


def test_reassign_to_user_without_role_is_refused(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    leader = make_user("420525", Role.LEADER)
    reviewer = make_user("420525", Role.REVIEWER)
    _claim(reviewer, record)
    client = sign_in(admin)
    page = client.get("/queue/claims").get_data(as_text=True)

    response = client.post(
        "/queue/reassign",
        data={
            "items": [f"{record.id}:{record.version}"],
            "assignee_id": leader.id,
            "csrf_token": csrf_token_from(page),
        },
    )

    html = response.get_data(as_text=True)
    assert "不能办理该记录当前的环节" in html
    assert claims.effective_claim(record).assignee_id == reviewer.id


def _bulk(client, action, records, versions=None):
    page = client.get("/").get_data(as_text=True)
    items = [
        f"{record.id}:{(versions or {}).get(record.id, record.version)}"
        for record in records
    ]
    return client.post(
        "/queue/bulk",
        data={"items": items, "action": action, "csrf_token": csrf_token_from(page)},
    )


def _results(response):
    html = response.get_data(as_text=True)
    return re.findall(r'<tr class="result-(ok|failed)">', html), html


def test_bulk_approve_reports_each_item(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    colleague = make_user("420525", Role.REVIEWER)
    records = [
        nominate(admin),
        nominate(admin, **SECOND_PERSON),
        nominate(admin, **THIRD_PERSON),
    ]
    for record in records:
        engine.fire(Counselor, record.id, "start_review", reviewer)
    claimed_by_colleague = records[1]
    _claim(colleague, claimed_by_colleague)
    stale = records[2]
    client = sign_in(reviewer)

    response = _bulk(
        client, "step:approve", records, versions={stale.id: stale.version - 1}
    )

    outcomes, html = _results(response)
    assert outcomes == ["ok", "failed", "failed"]
    assert "共 3 条：成功 1 条，未成功 2 条" in html
    assert "已由" in html
    assert "请刷新后查看最新状态" in html
    db.session.expire_all()
    states = [db.session.get(Counselor, r.id).state for r in records]
    assert states == [
        CounselorState.PUBLIC_NOTICE,
        CounselorState.UNDER_REVIEW,
        CounselorState.UNDER_REVIEW,
    ]


def test_bulk_approve_applies_separation_of_duties(make_user, sign_in, frozen_clock):
    both = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER)
    record = nominate(both)
    engine.fire(
        Counselor, record.id, "start_review", make_user("420525", Role.REVIEWER)
    )

    outcomes, html = _results(_bulk(sign_in(both), "step:approve", [record]))

    assert outcomes == ["failed"]
    assert "职责分离" in html


def test_bulk_claim_then_release(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    records = [nominate(admin), nominate(admin, **SECOND_PERSON)]
    client = sign_in(reviewer)

    claimed, _html = _results(_bulk(client, "claim", records))
    mine = client.get("/?claimed=mine").get_data(as_text=True)
    released, _html = _results(_bulk(client, "release", records))

    assert claimed == ["ok", "ok"]
    assert "张桂兰" in mine
    assert "李建国" in mine
    assert released == ["ok", "ok"]
    assert db.session.scalars(select(QueueClaim)).all() == []


def test_bulk_step_needing_reason_is_refused(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominate(admin)
    engine.fire(Counselor, record.id, "start_review", reviewer)

    response = _bulk(sign_in(reviewer), "step:reject", [record])

    assert response.status_code == 400
    assert record.state is CounselorState.UNDER_REVIEW


def test_queue_shows_claimant(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(admin, **nomination_values())
    first = make_user("420525", Role.REVIEWER)
    first.display_name = "赵认领"
    db.session.commit()
    _claim(first, record)

    page = sign_in(make_user("420525", Role.REVIEWER)).get("/").get_data(as_text=True)

    assert "赵认领" in page


def test_bulk_form_as_a_browser_sends_it(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominate(admin)
    client = sign_in(reviewer)
    page = client.get("/").get_data(as_text=True)
    form = page.split('action="/queue/bulk">')[1].split("</form>")[0]
    # A browser sends every input of the form in order, then the button.
    fields = re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form)
    fields = [(name, value) for name, value in fields if name != "items"]
    fields += [("items", f"{record.id}:{record.version}"), ("action", "claim")]

    response = client.post("/queue/bulk", data=MultiDict(fields))

    outcomes, _html = _results(response)
    assert outcomes == ["ok"]


def test_record_page_names_claimant(make_user, sign_in, frozen_clock):
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    claimant = make_user("420525", Role.REVIEWER)
    claimant.display_name = "钱认领"
    db.session.commit()
    _claim(claimant, record)

    page = sign_in(make_user("420500", Role.REVIEWER)).get(f"/counselors/{record.id}")

    assert "认领人：钱认领" in page.get_data(as_text=True)
