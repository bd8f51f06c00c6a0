"""The later-life pages as departments and counselors use them."""

import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.helpers import (
    appoint,
    cooperative_code,
    csrf_token_from,
    person_values,
    png_bytes,
)
from workflow import clock
from workflow.entities import EntityValues, create_entity
from workflow.extensions import db
from workflow.models import (
    Counselor,
    EntityKind,
    Role,
    ServiceRecord,
    StrikeOff,
)
from workflow.self_service import open_account
from workflow.states.counselor import CounselorState


@pytest.fixture
def county(make_user, frozen_clock):
    staff = {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
        "leader": make_user("420525", Role.LEADER),
    }
    counselor = appoint(
        staff["admin"], staff["reviewer"], date(2025, 3, 3), person_values(1)
    )
    clock.freeze(datetime(2025, 6, 2, 9, 0))
    return staff, counselor


def _version(html):
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_leader_strikes_off_with_evidence_upload(county, sign_in):
    staff, counselor = county
    client = sign_in(staff["leader"])
    page = client.get(f"/counselors/{counselor.id}").get_data(as_text=True)

    response = client.post(
        f"/counselors/{counselor.id}/strike-off",
        data={
            "csrf_token": csrf_token_from(page),
            "version": _version(page),
            "reason_code": "forced_service",
            "comment": "强制合作社购买指定农资",
            "evidence": (io.BytesIO(png_bytes()), "调查笔录.png"),
        },
        content_type="multipart/form-data",
    )

    db.session.expire_all()
    strike_off = db.session.scalars(select(StrikeOff)).one()
    assert response.status_code == 303
    assert counselor.state is CounselorState.STRUCK_OFF
    page = client.get(f"/counselors/{counselor.id}").get_data(as_text=True)
    assert "已撤销" in page
    download = client.get(
        f"/counselors/{counselor.id}/strike-offs/{strike_off.id}/evidence"
    )
    assert download.data == png_bytes()


def test_strike_off_without_file_changes_nothing(county, sign_in):
    staff, counselor = county
    client = sign_in(staff["leader"])
    page = client.get(f"/counselors/{counselor.id}").get_data(as_text=True)

    client.post(
        f"/counselors/{counselor.id}/strike-off",
        data={
            "csrf_token": csrf_token_from(page),
            "version": _version(page),
            "reason_code": "forced_service",
            "comment": "无证据",
        },
        content_type="multipart/form-data",
    )

    db.session.expire_all()
    assert counselor.state is CounselorState.APPOINTED
    page = client.get(f"/counselors/{counselor.id}").get_data(as_text=True)
    assert "请上传证据材料" in page


def test_counselor_enters_service_on_own_page(county, sign_in):
    staff, counselor = county
    user, password = open_account(staff["admin"], counselor.id, "zhang-self")
    entity = create_entity(
        staff["admin"],
        EntityValues(
            EntityKind.COOPERATIVE,
            "远安县旧县茶叶合作社",
            cooperative_code(3),
            "420525",
        ),
    )
    client = sign_in(user, password)
    url = f"/counselors/{counselor.id}/services/new"
    form = client.get(url).get_data(as_text=True)

    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(form),
            "entity": entity.credit_code,
            "served_on": "2025-05-30",
            "work_area": "市场营销",
            "content": "对接电商平台",
            "result": "上线网店",
            "satisfaction": "5",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/me/")
    home = client.get("/me/").get_data(as_text=True)
    assert "远安县旧县茶叶合作社" in home
    assert db.session.scalars(select(ServiceRecord)).one().author_id == user.id


def test_self_service_account_sees_only_own_record(county, sign_in):
    staff, counselor = county
    other = appoint(
        staff["admin"], staff["reviewer"], date(2025, 3, 3), person_values(2)
    )
    clock.freeze(datetime(2025, 6, 2, 9, 0))
    user, password = open_account(staff["admin"], counselor.id, "zhang-self")
    client = sign_in(user, password)

    home = client.get("/me/").get_data(as_text=True)
    own = client.get(f"/counselors/{counselor.id}")
    foreign = client.get(f"/counselors/{other.id}")
    registry = client.get("/registry")

    assert counselor.name in home
    assert other.name not in home
    assert own.status_code == 403
    assert foreign.status_code == 403
    assert registry.status_code == 403


def test_service_date_in_future_shown_next_to_field(county, sign_in):
    staff, counselor = county
    entity = create_entity(
        staff["admin"],
        EntityValues(EntityKind.FAMILY_FARM, "李家湾家庭农场", None, "420525"),
    )
    client = sign_in(staff["admin"])
    url = f"/counselors/{counselor.id}/services/new"
    form = client.get(url).get_data(as_text=True)

    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(form),
            "entity": str(entity.id),
            "served_on": "2025-06-03",
            "work_area": "市场营销",
            "content": "对接电商平台",
            "result": "上线网店",
            "satisfaction": "5",
        },
    )

    assert response.status_code == 200
    assert "日期不能晚于今天" in response.get_data(as_text=True)
    assert db.session.scalars(select(ServiceRecord)).first() is None


def test_registry_filters_by_standing(county, sign_in):
    staff, counselor = county
    client = sign_in(staff["reviewer"])

    serving = client.get("/registry?standing=serving").get_data(as_text=True)
    struck = client.get("/registry?standing=struck_off").get_data(as_text=True)

    assert counselor.name in serving
    assert counselor.name not in struck


def test_evaluation_board_lists_missing_self_assessments(county, sign_in):
    staff, counselor = county
    clock.freeze(datetime(2026, 1, 5, 9, 0))
    client = sign_in(staff["reviewer"])
    page = client.get("/evaluations/").get_data(as_text=True)

    response = client.post(
        "/evaluations/",
        data={
            "csrf_token": csrf_token_from(page),
            "year": "2025",
            "deadline": "2026-01-30",
        },
    )
    board = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 303
    assert counselor.name in board
    assert "未提交" in board
    db.session.expire_all()
    assert db.session.get(Counselor, counselor.id).state is CounselorState.APPOINTED


def test_reviewer_scores_on_entry_page(county, sign_in):
    from workflow import engine
    from workflow.evaluation_rounds import open_round
    from workflow.evaluation_scoring import submit_self_assessment
    from workflow.models import EvaluationRound

    staff, counselor = county
    clock.freeze(datetime(2026, 1, 5, 9, 0))
    round_ = open_round(staff["reviewer"], 2025, date(2026, 1, 30))
    entry = round_.entries[0]
    submit_self_assessment(staff["admin"], entry.id, "代为录入", None)
    engine.fire(EvaluationRound, round_.id, "start_scoring", staff["reviewer"])
    client = sign_in(staff["reviewer"])
    url = f"/evaluations/{round_.id}/entries/{entry.id}"
    page = client.get(url).get_data(as_text=True)
    fields = {
        f"scores-{key}": "65"
        for key in (
            "entities_served",
            "service_records",
            "quality_improvement",
            "satisfaction",
            "training_hours",
            "timely_reporting",
        )
    }

    response = client.post(
        f"{url}/score",
        data={
            **fields,
            "csrf_token": csrf_token_from(page),
            "counselor_id": str(counselor.id),
        },
    )

    db.session.expire_all()
    assert response.status_code == 303
    assert str(entry.total) == "65.00"
    assert entry.grade == "基本合格"
    board = client.get(f"/evaluations/{round_.id}").get_data(as_text=True)
    assert "基本合格" in board


def test_queue_lists_term_ending_not_appointed(county, sign_in):
    from workflow.term_endings import mark_terms_ending

    staff, counselor = county
    other = appoint(
        staff["admin"], staff["reviewer"], date(2023, 3, 1), person_values(2)
    )
    clock.freeze(datetime(2026, 1, 5, 9, 0))
    mark_terms_ending()
    client = sign_in(staff["leader"])

    queue = client.get("/").get_data(as_text=True)

    assert other.name in queue
    assert counselor.name not in queue
