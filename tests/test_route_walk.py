"""Every route, as every kind of user: nothing crosses a jurisdiction or role.

The walk enumerates the app's URL map, so a route added without an entry
in ``POLICY`` fails ``test_every_route_has_a_policy``. For each route and
method it sends a request as each role. Anonymous requests must end on the
sign-in page, and GETs by other roles not allowed must get 403 or 404. No
request by a role not allowed may change the database, and no page may
show a county's records or accounts to anyone outside its jurisdiction.
"""

import re
from dataclasses import dataclass

import pytest
from flask import current_app, url_for
from sqlalchemy import func, select

from tests.helpers import nomination_values
from workflow import annual_reports, nominations
from workflow.extensions import db
from workflow.jurisdiction import MAX_RECORD_ID
from workflow.models import (
    AnnualReport,
    Counselor,
    QueueClaim,
    Role,
    SecurityEvent,
    User,
)

ROLES = (
    "anonymous",
    "applicant",
    "counselor",
    "other_county_reviewer",
    "parent_city_reviewer",
    "administrator",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
STAFF = frozenset({"other_county_reviewer", "parent_city_reviewer", "administrator"})
ADMIN = frozenset({"administrator"})
COUNTY_READERS = frozenset({"parent_city_reviewer", "administrator"})
NOBODY = frozenset()

# endpoint: roles whose requests may succeed. Everyone else must be turned
# away and change nothing.
POLICY = {
    "static": frozenset(ROLES),
    # Probes of the process supervisor and the proxy answer everyone.
    "health.alive": frozenset(ROLES),
    "health.ready": frozenset(ROLES),
    "auth.sign_in": frozenset(ROLES),
    "auth.session_status": frozenset(ROLES),
    "auth.keep_alive": frozenset(ROLES),
    "auth.sign_out": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "queue.index": SIGNED_IN,
    "queue.registry": STAFF,
    "exports.registry": STAFF,
    "counselors.new": ADMIN,
    "counselors.show": COUNTY_READERS,
    "counselors.edit": ADMIN,
    "counselors.reveal": COUNTY_READERS,
    # The record waits for a reviewer of its county, and none of the walking
    # roles is one: every review or step must fail.
    "counselors.review": NOBODY,
    "counselors.step": NOBODY,
    "claims.bulk": NOBODY,
    "claims.index": ADMIN,
    "claims.reassign": ADMIN,
    "accounts.index": ADMIN,
    "accounts.new": ADMIN,
    "accounts.edit": ADMIN,
    "accounts.disable": ADMIN,
    "accounts.enable": ADMIN,
    "accounts.reset_password": ADMIN,
    "accounts.unlock": ADMIN,
    "audit.index": ADMIN,
    # Applicants file their own service centers and county staff supervise
    # them. The walk's center, agreement and round ids match no row, so
    # every role must be turned away without a change.
    "centers.index": SIGNED_IN - {"counselor"},
    "centers.mine": frozenset({"applicant"}),
    "centers.new": frozenset({"applicant"}),
    "centers.edit": NOBODY,
    "centers.show": NOBODY,
    "centers.upload": NOBODY,
    "centers.delete_attachment": NOBODY,
    "centers.download": NOBODY,
    "centers.prices": NOBODY,
    "supervision.step": NOBODY,
    "supervision.review": NOBODY,
    "supervision.evaluate": NOBODY,
    "supervision.order_rectification": NOBODY,
    "agreements.index": NOBODY,
    "agreements.new": NOBODY,
    "agreements.show": NOBODY,
    "agreements.add_record": NOBODY,
    "agreements.scan": NOBODY,
    # Registration of applicant organisations and the public list of
    # filed centers need no session.
    "applicants.register": frozenset(ROLES),
    "applicants.confirm": frozenset(ROLES),
    "applicants.resend": frozenset(ROLES),
    "public.centers": frozenset(ROLES),
    "public.center": frozenset(ROLES),
    # Later life of a counselor: the walk's record is only nominated, so
    # its strike-off, evidence and account steps must fail for everyone.
    "lifecycle.strike_off": NOBODY,
    "lifecycle.evidence": NOBODY,
    "lifecycle.open_account": NOBODY,
    "activity.new_service": ADMIN,
    "activity.new_training": ADMIN,
    "activity.edit_service": NOBODY,
    "activity.edit_training": NOBODY,
    # Served entities are a national list any signed-in user may search.
    "entities.index": SIGNED_IN,
    "entities.new": frozenset({"administrator", "counselor"}),
    "evaluations.index": STAFF,
    "evaluations.show": NOBODY,
    "evaluations.deadline": NOBODY,
    "evaluations.step": NOBODY,
    "evaluations.entry": NOBODY,
    "evaluations.self_assessment": NOBODY,
    "evaluations.score": NOBODY,
    # Only an account linked to a counselor record has a page here; the
    # walk's counselor account is not linked.
    "self_service.home": NOBODY,
    # Dashboards are for staff; the walk opens 远安县's, which its own
    # administrator and the parent city may read and the other county not.
    "dashboard.home": STAFF,
    "dashboard.show": COUNTY_READERS,
    "dashboard.workbook": COUNTY_READERS,
    # The walk's record is not appointed, so it has no certificate.
    "certificates.record_certificate": NOBODY,
    "certificates.batch": STAFF,
    "certificates.batch_pdf": STAFF,
    # Anyone may check a certificate number; the walk's number names none.
    "verification.index": frozenset(ROLES),
    "verification.show": frozenset(ROLES),
    "help.workflows": SIGNED_IN,
    "help.workflow": SIGNED_IN,
    # Annual reports: staff read their own and their children's; the county
    # administrator may act on the county's report. Returning a report is for
    # the parent after a submission, and extending a window for the Ministry:
    # none of the walking roles may.
    "reports.index": STAFF,
    "reports.show": COUNTY_READERS,
    "reports.step": ADMIN,
    "reports.return_report": NOBODY,
    "reports.extend": NOBODY,
    "counselors.figures": ADMIN,
    # Everyone signed in has a bell of their own; delivery is for
    # administrators, and the walked message does not exist.
    "notifications.index": SIGNED_IN,
    "notifications.show": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    "notifications.preferences": SIGNED_IN,
    "notifications.delivery": ADMIN,
    "notifications.decide": ADMIN,
    "imports.index": STAFF,
    "imports.template": STAFF,
    # Spreadsheet import: the walk's ids name no import batch.
    "imports.show": NOBODY,
    "imports.commit": NOBODY,
    "imports.annotated": NOBODY,
    "imports.original": NOBODY,
    # API tokens are for administrators; the walk's token id names none.
    "api_tokens.index": ADMIN,
    "api_tokens.new": ADMIN,
    "api_tokens.revoke": NOBODY,
    # The JSON API answers bearer tokens only, never a session, so every
    # walking role is turned away; its document needs no token.
    "api.openapi": frozenset(ROLES),
    "api.docs": frozenset(ROLES),
    "api.list_counselors": NOBODY,
    "api.get_counselor": NOBODY,
    "api.create_counselor": NOBODY,
    "api.counselor_steps": NOBODY,
    "api.take_counselor_step": NOBODY,
    "api.list_centers": NOBODY,
    "api.get_center": NOBODY,
    "api.center_steps": NOBODY,
    "api.take_center_step": NOBODY,
    "api.upsert_records": NOBODY,
}
# Public endpoints need no session; their POSTs are exempt from the
# unchanged-database check because a failed sign-in is itself logged.
PUBLIC_POSTS = {"auth.sign_in"}
# The walk's schema comes from create_all, which records no migration, so
# the readiness probe rightly answers 503.
UNAVAILABLE = {"health.ready"}

MISSING_ID = 987_654
MISSING_IDS = (
    "batch_id",
    "center_id",
    "agreement_id",
    "attachment_id",
    "round_id",
    "entry_id",
    "strike_off_id",
    "token_id",
)

RECORD_NAME = "司马晓雯"
DRAFT_NAME = "欧阳建华"
TARGET_NAME = "诸葛审核员"


@dataclass
class World:
    """The county's records and accounts, and a client per role."""

    record: Counselor
    draft: Counselor
    target: User
    report: AnnualReport
    clients: dict


@pytest.fixture
def world(app, make_user, sign_in, frozen_clock):
    nominator = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominations.create_nomination(
        nominator, nomination_values(name=RECORD_NAME), submit=True
    )
    draft = nominations.create_nomination(
        nominator,
        nomination_values(name=DRAFT_NAME, id_number="420525197806120015", gender="男"),
        submit=False,
    )
    target = make_user("420525", Role.REVIEWER)
    target.display_name = TARGET_NAME
    report = annual_reports.report_for(target.department, 2025)
    db.session.commit()
    users = {
        "applicant": make_user("420525", Role.CENTER_APPLICANT),
        "counselor": make_user("420525", Role.COUNSELOR),
        "other_county_reviewer": make_user("420526", Role.REVIEWER),
        "parent_city_reviewer": make_user("420500", Role.REVIEWER),
        "administrator": make_user("420525", Role.REGISTRY_ADMIN),
    }
    clients = {role: sign_in(user) for role, user in users.items()}
    clients["anonymous"] = app.test_client()
    return World(record, draft, target, report, clients)


def _url(world, endpoint):
    values = {
        "static": {"filename": "css/fudao.css"},
        "counselors.edit": {"record_id": world.draft.id},
    }.get(endpoint)
    if values is None:
        # The world contains no centers, agreements or rounds, so their ids
        # match no row. Record and user ids point at the world's own.
        values = dict.fromkeys(MISSING_IDS, MISSING_ID)
        values.update(
            record_id=world.record.id,
            counselor_id=world.record.id,
            user_id=world.target.id,
            token="not-a-token",
            code="420525",
            number="420525-2026-0001",
            name="counselor",
            report_id=world.report.id,
            notification_id=MAX_RECORD_ID,
            message_id=MAX_RECORD_ID,
        )
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {key: value for key, value in values.items() if key in rule.arguments}
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def _form_data(world, endpoint):
    nomination = nomination_values(
        name="新推荐人", id_number="420525199001010029", gender="女"
    )
    nomination.pop("email")
    nomination["submit_nomination"] = "提交推荐"
    department = world.target.department_id
    samples = {
        "auth.sign_in": {"username": "nobody", "password": "wrong"},
        "auth.change_password": {
            "current_password": "correct horse battery",
            "new_password": "Walk-Password-2026",
            "confirm_password": "Walk-Password-2026",
        },
        "counselors.new": nomination,
        "counselors.edit": {**nomination, "version": str(world.draft.version)},
        "counselors.review": {"decision": "approve", "version": "2"},
        "counselors.step": {"trigger": "start_review", "version": "2"},
        "claims.bulk": {"items": [f"{world.record.id}:2"], "action": "claim"},
        "claims.reassign": {
            "items": [f"{world.record.id}:2"],
            "assignee_id": world.target.id,
        },
        "accounts.new": {
            "username": "walk-created",
            "display_name": "新账号",
            "department_id": department,
            "roles": ["reviewer"],
        },
        "accounts.edit": {
            "display_name": "改名",
            "department_id": department,
            "roles": ["registry_admin"],
        },
        "exports.registry": {"purpose": "路由巡检导出"},
        "reports.step": {"trigger": "start", "version": str(world.report.version)},
        "reports.return_report": {
            "reason": "路由巡检退回",
            "version": str(world.report.version),
        },
        "reports.extend": {"closes_on": "2026-12-31", "reason": "路由巡检延期"},
        "notifications.decide": {"decision": "resend"},
    }
    return samples.get(endpoint, {})


def _snapshot(world):
    db.session.expire_all()
    record = db.session.get(Counselor, world.record.id)
    draft = db.session.get(Counselor, world.draft.id)
    target = db.session.get(User, world.target.id)
    report = db.session.get(AnnualReport, world.report.id)
    return (
        report.state,
        report.version,
        record.state,
        record.version,
        draft.version,
        draft.name,
        target.is_enabled,
        target.password_hash,
        target.display_name,
        target.department_id,
        target.roles,
        db.session.scalar(select(func.count()).select_from(Counselor)),
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(QueueClaim)),
        db.session.scalar(
            select(func.count()).where(
                SecurityEvent.action.in_(["id_number_viewed", "export"])
            )
        ),
    )


_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def _token(client):
    page = client.get("/sign-in" if client.get_cookie("session") is None else "/")
    html = page.get_data(as_text=True)
    if page.status_code == 302:
        html = client.get("/sign-in").get_data(as_text=True)
    return _TOKEN.search(html).group(1)


def _leaks(world, role, body):
    secrets = []
    if role not in COUNTY_READERS:
        secrets += [RECORD_NAME, DRAFT_NAME, world.record.id_number]
    if role != "administrator":
        secrets += [TARGET_NAME, world.target.username]
    return [secret for secret in secrets if secret in body]


def test_every_route_has_a_policy(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert endpoints - POLICY.keys() == set(), "add the new routes to POLICY"
    assert POLICY.keys() - endpoints == set()


def _check_turned_away(endpoint, role, method, response, where):
    if endpoint.startswith("api."):
        # Sessions do not authenticate API requests, whoever signed in.
        assert response.status_code == 401, where
        assert response.get_json()["error"]["code"] == "unauthenticated", where
    elif role == "anonymous":
        assert response.status_code in (302, 303), where
        assert "/sign-in" in response.headers["Location"], where
    elif method == "GET":
        assert response.status_code in (403, 404), where
    # A refused POST may redirect back with a message or, for bulk actions,
    # list each item as refused; the unchanged database is what counts.


def test_walk_every_route_as_every_role(world, app):
    tokens = {role: _token(client) for role, client in world.clients.items()}
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)

    for rule in rules:
        url = _url(world, rule.endpoint)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                if rule.endpoint == "auth.sign_out":
                    continue
                where = f"{method} {url} as {role}"
                before = _snapshot(world)
                client = world.clients[role]
                if method == "GET":
                    response = client.get(url)
                else:
                    data = {**_form_data(world, rule.endpoint)}
                    data["csrf_token"] = tokens[role]
                    response = client.post(url, data=data)
                # Spreadsheets and PDFs are binary; their text parts are
                # still searched for leaks.
                body = response.get_data().decode("utf-8", errors="replace")
                response.close()
                after = _snapshot(world)

                if rule.endpoint in UNAVAILABLE:
                    assert response.status_code == 503, where
                else:
                    assert response.status_code < 500, where
                assert _leaks(world, role, body) == [], where
                if role in POLICY[rule.endpoint]:
                    continue
                _check_turned_away(rule.endpoint, role, method, response, where)
                if rule.endpoint not in PUBLIC_POSTS:
                    assert after == before, where


def test_sign_out_needs_a_session(world):
    response = world.clients["anonymous"].post(
        "/sign-out", data={"csrf_token": _token(world.clients["anonymous"])}
    )

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
