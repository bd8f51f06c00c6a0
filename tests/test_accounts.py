"""Account administration: own department and below, one-time passwords."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token_from, post_form
from workflow import accounts
from workflow.accounts import AccountValues
from workflow.errors import DomainValidationError, NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.models import Role, SecurityEvent, User, UserSession
from workflow.system_accounts import system_account


def _values(department, *roles, name="王审核"):
    return AccountValues(
        display_name=name,
        email=None,
        department_id=department.id,
        roles=frozenset(roles),
    )


@pytest.mark.parametrize(
    ("admin_code", "target_code"),
    [("420500", "420500"), ("420500", "420525"), ("420000", "420526")],
)
def test_admin_creates_account_at_or_below(
    make_user, department, admin_code, target_code
):
    admin = make_user(admin_code, Role.REGISTRY_ADMIN)

    user, one_time = accounts.create_account(
        admin, "new-reviewer", _values(department(target_code), Role.REVIEWER)
    )

    assert user.department.code == target_code
    assert user.must_change_password
    assert user.check_password(one_time)


@pytest.mark.parametrize("target_code", ["420000", "420526", "420100"])
def test_admin_cannot_create_above_or_beside(make_user, department, target_code):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError, match="outside"):
        accounts.create_account(
            admin, "intruder", _values(department(target_code), Role.REVIEWER)
        )

    assert db.session.scalar(select(User).where(User.username == "intruder")) is None


def test_sibling_account_is_not_found(make_user):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    sibling = make_user("420526", Role.REVIEWER)

    with pytest.raises(RecordNotFound):
        accounts.reset_password(admin, sibling.id)


def test_system_account_is_not_an_account_to_manage(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    job_account = system_account(department("420525").id)
    db.session.commit()

    managed = db.session.scalars(accounts.managed_users(admin)).all()

    assert admin in managed
    assert job_account not in managed
    with pytest.raises(RecordNotFound):
        accounts.reset_password(admin, job_account.id)


def test_reviewer_cannot_administer(make_user, department):
    reviewer = make_user("420525", Role.REVIEWER)

    with pytest.raises(NotPermitted):
        accounts.create_account(
            reviewer, "someone", _values(department("420525"), Role.REVIEWER)
        )


def test_admin_cannot_widen_own_roles(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError, match="own roles"):
        accounts.update_account(
            admin,
            admin.id,
            _values(department("420525"), Role.REGISTRY_ADMIN, Role.REVIEWER),
        )

    db.session.refresh(admin)
    assert admin.roles == {Role.REGISTRY_ADMIN}


def test_admin_cannot_disable_self(make_user):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(NotPermitted):
        accounts.set_enabled(admin, admin.id, False)


def test_duplicate_user_name_is_refused(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    accounts.create_account(
        admin, "Li-Ming", _values(department("420525"), Role.LEADER)
    )

    with pytest.raises(DomainValidationError, match="taken"):
        accounts.create_account(
            admin, "li-ming", _values(department("420525"), Role.LEADER)
        )


def _one_time_password(html):
    return re.search(r'one-time-password">([^<]+)<', html).group(1)


def test_new_account_must_set_own_password(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    page = post_form(
        client,
        "/accounts/new",
        data={
            "username": "county-reviewer",
            "display_name": "周审核",
            "department_id": admin.department_id,
            "roles": ["reviewer"],
        },
    )
    one_time = _one_time_password(page.get_data(as_text=True))
    newcomer = app.test_client()

    signed_in = post_form(
        newcomer,
        "/sign-in",
        data={"username": "county-reviewer", "password": one_time},
    )
    blocked = newcomer.get("/registry")
    changed = post_form(
        newcomer,
        "/account/password",
        data={
            "current_password": one_time,
            "new_password": "Orchard-Review-77",
            "confirm_password": "Orchard-Review-77",
        },
    )

    assert signed_in.headers["Location"].startswith("/account/password")
    assert blocked.headers["Location"].startswith("/account/password")
    assert changed.status_code == 303
    assert newcomer.get("/registry").status_code == 200


def test_weak_new_password_is_shown_next_to_field(make_user, sign_in):
    user = make_user("420525", Role.REVIEWER)
    client = sign_in(user)

    page = post_form(
        client,
        "/account/password",
        data={
            "current_password": "correct horse battery",
            "new_password": "short",
            "confirm_password": "short",
        },
    )

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "密码至少需要 10 个字符" in html


def test_reset_password_ends_sessions(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    reviewer_client = sign_in(reviewer)
    admin_client = sign_in(admin)

    page = post_form(
        admin_client, "/accounts/", f"/accounts/{reviewer.id}/reset-password"
    )
    after = reviewer_client.get("/registry")

    assert page.status_code == 200
    assert after.status_code == 303
    assert "/sign-in" in after.headers["Location"]
    open_sessions = db.session.scalars(
        select(UserSession).where(
            UserSession.user_id == reviewer.id, UserSession.ended_at.is_(None)
        )
    ).all()
    assert open_sessions == []


def test_disabled_account_cannot_sign_in_until_enabled(make_user, sign_in, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    admin_client = sign_in(admin)
    credentials = {"username": reviewer.username, "password": "correct horse battery"}

    post_form(admin_client, "/accounts/", f"/accounts/{reviewer.id}/disable")
    refused = post_form(app.test_client(), "/sign-in", data=credentials)
    post_form(admin_client, "/accounts/", f"/accounts/{reviewer.id}/enable")
    accepted = post_form(app.test_client(), "/sign-in", data=credentials)

    assert "该账号已停用" in refused.get_data(as_text=True)
    assert accepted.status_code == 302


def test_account_list_shows_last_sign_in(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    sign_in(reviewer)

    page = sign_in(admin).get("/accounts/").get_data(as_text=True)

    db.session.refresh(reviewer)
    assert reviewer.last_sign_in_at is not None
    assert reviewer.last_sign_in_at.strftime("%Y-%m-%d %H:%M") in page
    assert "从未登录" not in page.split(reviewer.username)[1].split("</tr>")[0]


def test_account_changes_are_logged(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    client = sign_in(admin)

    post_form(client, "/accounts/", f"/accounts/{reviewer.id}/disable")
    post_form(client, "/accounts/", f"/accounts/{reviewer.id}/reset-password")

    actions = db.session.scalars(
        select(SecurityEvent.action)
        .where(
            SecurityEvent.subject_id == reviewer.id, SecurityEvent.actor_id == admin.id
        )
        .order_by(SecurityEvent.id)
    ).all()
    assert actions == ["account_disabled", "password_reset"]


def test_csrf_token_helper_reads_account_page(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    page = sign_in(admin).get("/accounts/new").get_data(as_text=True)

    assert csrf_token_from(page)


def test_expired_one_time_password_is_refused(make_user, department, app):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    user, one_time = accounts.create_account(
        admin, "late-starter", _values(department("420525"), Role.REVIEWER)
    )
    user.password_changed_at -= timedelta(hours=73)
    db.session.commit()

    response = post_form(
        app.test_client(),
        "/sign-in",
        data={"username": "late-starter", "password": one_time},
    )

    assert response.status_code == 200
    assert "临时密码已过期" in response.get_data(as_text=True)


def test_disabling_ends_open_session(make_user, sign_in):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    reviewer_client = sign_in(reviewer)

    post_form(sign_in(admin), "/accounts/", f"/accounts/{reviewer.id}/disable")
    response = reviewer_client.get("/registry")

    assert response.status_code == 303
    assert "/sign-in" in response.headers["Location"]
