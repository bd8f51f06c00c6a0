"""A form posted with an expired CSRF token comes back filled in."""

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from tests.helpers import csrf_token_from, nominate, nomination_values
from workflow import engine
from workflow.extensions import db
from workflow.models import Counselor, Role

SITE = {"Origin": "http://localhost"}


class _TwoHoursAgo(TimestampSigner):
    def get_timestamp(self):
        return int(time.time()) - 7200


def _expired_token(app, client, page_url):
    client.get(page_url)
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    serializer = URLSafeTimedSerializer(
        app.secret_key, salt="wtf-csrf-token", signer=_TwoHoursAgo
    )
    return serializer.dumps(raw)


def _nomination_form(**overrides):
    values = nomination_values(name="欧阳春晓", **overrides)
    values["submit_nomination"] = "提交推荐"
    values.pop("email")
    values.pop("professional_title")
    return values


def test_expired_token_reshows_form_with_input(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    form = _nomination_form(employer="远安县茶叶专业合作社")
    form["csrf_token"] = _expired_token(app, client, "/counselors/new")

    response = client.post("/counselors/new", data=form, headers=SITE)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "安全校验已失效" in html
    assert 'value="欧阳春晓"' in html
    assert 'value="远安县茶叶专业合作社"' in html
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 0


def test_reshown_form_submits_with_fresh_token(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    form = _nomination_form()
    form["csrf_token"] = _expired_token(app, client, "/counselors/new")
    reshown = client.post("/counselors/new", data=form, headers=SITE)

    form["csrf_token"] = csrf_token_from(reshown.get_data(as_text=True))
    response = client.post("/counselors/new", data=form, headers=SITE)

    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 1


def test_review_reason_is_kept(make_user, sign_in, app, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    record = nominate(admin)
    engine.fire(Counselor, record.id, "start_review", reviewer)
    client = sign_in(reviewer)
    token = _expired_token(app, client, f"/counselors/{record.id}")

    response = client.post(
        f"/counselors/{record.id}/review",
        data={
            "decision": "reject",
            "reason": "服务主体数量材料与实际不符",
            "version": "3",
            "csrf_token": token,
        },
        headers=SITE,
    )

    html = response.get_data(as_text=True)
    assert "服务主体数量材料与实际不符" in html
    assert "安全校验已失效" in html
    db.session.refresh(record)
    assert record.state.value == "under_review"


def test_sign_in_page_keeps_user_name(make_user, app):
    user = make_user("420525", Role.REVIEWER)
    client = app.test_client()
    token = _expired_token(app, client, "/sign-in")

    response = client.post(
        "/sign-in",
        data={"username": user.username, "password": "x", "csrf_token": token},
        headers=SITE,
    )

    assert f'value="{user.username}"' in response.get_data(as_text=True)


def test_cross_site_post_gets_plain_error(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    form = _nomination_form()
    form["csrf_token"] = _expired_token(app, client, "/counselors/new")

    response = client.post(
        "/counselors/new", data=form, headers={"Origin": "http://evil.example"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "欧阳春晓" not in html
