"""Masking of ID numbers and mobiles, logged full views, exports with a purpose."""

import csv
import io

from sqlalchemy import select

from tests.helpers import nominate, nomination_values, post_form
from workflow import nominations
from workflow.extensions import db
from workflow.models import Role, SecurityEvent

ID_NUMBER = "420525198503150027"
MASKED_ID = "420525********0027"
MOBILE = "13900001111"
MASKED_MOBILE = "139****1111"


def _events(action):
    return db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == action)
    ).all()


def test_lists_show_masked_numbers(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER)
    nominate(make_user("420525", Role.REGISTRY_ADMIN))
    client = sign_in(admin)

    for url in ["/", "/registry"]:
        html = client.get(url).get_data(as_text=True)
        assert MASKED_ID in html, url
        assert ID_NUMBER not in html, url


def test_record_page_masks_until_revealed(make_user, sign_in, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    client = sign_in(reviewer)

    page = client.get(f"/counselors/{record.id}").get_data(as_text=True)
    revealed = post_form(
        client, f"/counselors/{record.id}", f"/counselors/{record.id}/personal-data"
    ).get_data(as_text=True)

    assert ID_NUMBER not in page
    assert MOBILE not in page
    assert MASKED_MOBILE in page
    assert ID_NUMBER in revealed
    assert MOBILE in revealed
    [event] = _events("id_number_viewed")
    assert event.actor_id == reviewer.id
    assert event.subject_type == "counselor"
    assert event.subject_id == record.id


def test_supervisor_cannot_reveal(make_user, sign_in, frozen_clock):
    supervisor = make_user("420525", Role.SUPERVISOR)
    record = nominate(make_user("420525", Role.REGISTRY_ADMIN))
    client = sign_in(supervisor)

    page = client.get(f"/counselors/{record.id}").get_data(as_text=True)
    response = post_form(
        client, f"/counselors/{record.id}", f"/counselors/{record.id}/personal-data"
    )

    assert "显示完整身份证号" not in page
    assert response.status_code == 403
    assert _events("id_number_viewed") == []


def test_opening_edit_form_is_logged(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominations.create_nomination(admin, nomination_values(), submit=False)

    page = sign_in(admin).get(f"/counselors/{record.id}/edit").get_data(as_text=True)

    assert ID_NUMBER in page
    assert len(_events("id_number_viewed")) == 1


def _export(client, purpose, query=""):
    return post_form(client, f"/registry/export{query}", data={"purpose": purpose})


def _rows(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_needs_a_purpose(make_user, sign_in, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)
    nominate(make_user("420525", Role.REGISTRY_ADMIN))

    response = _export(sign_in(reviewer), "  ")

    assert response.status_code == 200
    assert "请说明导出用途" in response.get_data(as_text=True)
    assert _events("export") == []


def test_export_is_masked_for_supervisor(make_user, sign_in, frozen_clock):
    supervisor = make_user("420525", Role.SUPERVISOR)
    nominate(make_user("420525", Role.REGISTRY_ADMIN))

    rows = _rows(_export(sign_in(supervisor), "年度报送数据核对"))

    assert rows[0][2] == "身份证号"
    assert rows[1][2] == MASKED_ID
    assert rows[1][3] == MASKED_MOBILE


def test_export_is_full_for_reviewer_and_logged(make_user, sign_in, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)
    nominate(make_user("420525", Role.REGISTRY_ADMIN))

    rows = _rows(_export(sign_in(reviewer), "绩效评价材料准备"))

    assert rows[1][2] == ID_NUMBER
    [event] = _events("export")
    assert event.actor_id == reviewer.id
    assert event.detail.startswith("绩效评价材料准备")
    assert "1 条" in event.detail


def test_export_follows_list_filters(make_user, sign_in, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    nominate(admin)
    nominate(admin, name="李建国", id_number="420525197806120015", gender="男")

    rows = _rows(_export(sign_in(reviewer), "核对李建国信息", "?q=李建国"))

    assert [row[0] for row in rows[1:]] == ["李建国"]


def test_export_neutralises_formulas(make_user, sign_in, frozen_clock):
    reviewer = make_user("420525", Role.REVIEWER)
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(admin)
    record.certificate_number = "=HYPERLINK(1)"
    db.session.commit()

    rows = _rows(_export(sign_in(reviewer), "检查导出格式"))

    assert rows[1][10] == "'=HYPERLINK(1)"


def test_sibling_rows_never_exported(make_user, sign_in, frozen_clock):
    nominate(make_user("420526", Role.REGISTRY_ADMIN), service_area_codes=["420526"])
    reviewer = make_user("420525", Role.REVIEWER)

    rows = _rows(_export(sign_in(reviewer), "年度报送数据核对"))

    assert rows[1:] == []
