"""The audit log viewer: filters, jurisdiction, retention, read-only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import nominate
from workflow import clock, security_log
from workflow.extensions import db
from workflow.models import Role, SecurityEvent


def _event(user, action, days_ago=0, detail=None):
    event = security_log.record_event(action, user, subject=user, detail=detail)
    event.created_at = clock.wall_now() - timedelta(days=days_ago)
    db.session.commit()
    return event


def _rows(client, query=""):
    html = client.get(f"/audit/{query}").get_data(as_text=True)
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""


def test_admin_sees_own_and_lower_departments(make_user, sign_in):
    city_admin = make_user("420500", Role.REGISTRY_ADMIN)
    county_user = make_user("420525", Role.REVIEWER)
    sibling_user = make_user("420100", Role.REVIEWER)
    _event(county_user, "sign_in", detail="county-mark")
    _event(sibling_user, "sign_in", detail="sibling-mark")

    rows = _rows(sign_in(city_admin))

    assert "county-mark" in rows
    assert "sibling-mark" not in rows


def test_county_admin_does_not_see_parent(make_user, sign_in):
    county_admin = make_user("420525", Role.REGISTRY_ADMIN)
    city_user = make_user("420500", Role.REVIEWER)
    _event(city_user, "sign_in", detail="city-mark")

    rows = _rows(sign_in(county_admin))

    assert "city-mark" not in rows


def test_filters_by_user_action_and_date(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    first = make_user("420525", Role.REVIEWER)
    second = make_user("420525", Role.REVIEWER)
    _event(first, "export", days_ago=3, detail="first-export")
    _event(first, "sign_in", days_ago=3, detail="first-sign-in")
    _event(second, "export", days_ago=3, detail="second-export")
    _event(first, "export", days_ago=40, detail="old-export")
    client = sign_in(admin)
    since = (clock.wall_now() - timedelta(days=10)).date().isoformat()

    rows = _rows(client, f"?user={first.username}&action=export&date_from={since}")

    assert "first-export" in rows
    assert "first-sign-in" not in rows
    assert "second-export" not in rows
    assert "old-export" not in rows


def test_filters_by_department(make_user, sign_in):
    city_admin = make_user("420500", Role.REGISTRY_ADMIN)
    yuanan = make_user("420525", Role.REVIEWER)
    xingshan = make_user("420526", Role.REVIEWER)
    _event(yuanan, "sign_in", detail="yuanan-mark")
    _event(xingshan, "sign_in", detail="xingshan-mark")

    rows = _rows(sign_in(city_admin), f"?department={xingshan.department_id}")

    assert "xingshan-mark" in rows
    assert "yuanan-mark" not in rows


def test_workflow_events_are_listed(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    nominate(make_user("420525", Role.REGISTRY_ADMIN))

    rows = _rows(sign_in(admin), "?action=nominate")

    assert "提交推荐" in rows
    assert "辅导员记录" in rows


def test_events_older_than_six_months_remain(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    _event(reviewer, "export", days_ago=200, detail="seven-months-ago")

    rows = _rows(sign_in(admin), "?action=export")

    assert "seven-months-ago" in rows


def test_reviewer_cannot_open_audit_log(make_user, sign_in):
    reviewer = make_user("420525", Role.REVIEWER)

    response = sign_in(reviewer).get("/audit/")

    assert response.status_code == 403


def test_audit_routes_are_read_only(app):
    audit_rules = [
        r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")
    ]

    methods = {m for rule in audit_rules for m in rule.methods}

    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_security_event_cannot_be_changed(make_user):
    user = make_user("420525", Role.REVIEWER)
    event = _event(user, "sign_in")

    event.detail = "rewritten"
    with pytest.raises(PermissionError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(SecurityEvent, event.id))
    with pytest.raises(PermissionError, match="append-only"):
        db.session.commit()
    db.session.rollback()

    assert db.session.scalar(select(SecurityEvent.detail)) is None
