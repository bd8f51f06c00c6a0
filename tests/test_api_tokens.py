"""API tokens: creation shown once, hashed storage, jurisdiction, revocation."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token_from, field_errors
from workflow import accounts, api_tokens, clock
from workflow.errors import DomainValidationError, NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.models import ApiToken, Role, SecurityEvent, User


def _values(department_id, *roles, expires_at=None):
    return api_tokens.TokenValues(
        name="省级平台同步",
        department_id=department_id,
        roles=frozenset(roles or (Role.REVIEWER,)),
        expires_at=expires_at,
    )


def test_token_shown_once_and_stored_hashed(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    token, text = api_tokens.create_token(
        admin, _values(department("420525").id, Role.REVIEWER)
    )

    stored = db.session.get(ApiToken, token.id)
    prefix, secret = text.removeprefix("fudao_").split("_", 1)
    assert stored.prefix == prefix
    assert secret not in stored.secret_sha256
    assert len(stored.secret_sha256) == 64
    assert api_tokens.authenticate(text).id == token.id


def test_token_acts_as_disabled_account_with_its_roles(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    token, _text = api_tokens.create_token(
        admin, _values(department("420525").id, Role.REVIEWER, Role.LEADER)
    )

    assert token.user.roles == {Role.REVIEWER, Role.LEADER}
    assert token.user.is_enabled is False
    assert token.user.department_id == department("420525").id
    assert "省级平台同步" in token.user.display_name


def test_token_account_is_not_an_account_to_manage(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    token, _text = api_tokens.create_token(admin, _values(department("420525").id))

    managed = db.session.scalars(accounts.managed_users(admin)).all()

    assert token.user not in managed
    with pytest.raises(RecordNotFound):
        accounts.reset_password(admin, token.user_id)


def test_create_writes_security_event(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    token, _text = api_tokens.create_token(admin, _values(department("420525").id))

    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "api_token_created")
    ).one()
    assert event.actor_id == admin.id
    assert event.subject_type == "api_token"
    assert event.subject_id == token.id
    assert "省级平台同步" in event.detail


@pytest.mark.parametrize("code", ["420526", "420000"])
def test_token_outside_jurisdiction_is_refused(make_user, department, code):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError, match="outside"):
        api_tokens.create_token(admin, _values(department(code).id))

    assert db.session.scalars(select(ApiToken)).all() == []


def test_city_admin_creates_token_for_county(make_user, department):
    admin = make_user("420500", Role.REGISTRY_ADMIN)

    token, _text = api_tokens.create_token(admin, _values(department("420525").id))

    assert token.department.code == "420525"


def test_system_role_cannot_be_granted(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError) as raised:
        api_tokens.create_token(admin, _values(department("420525").id, Role.SYSTEM))

    assert raised.value.field == "roles"


def test_reviewer_cannot_create_tokens(make_user, department):
    reviewer = make_user("420525", Role.REVIEWER)

    with pytest.raises(NotPermitted):
        api_tokens.create_token(reviewer, _values(department("420525").id))


def test_expiry_in_past_is_refused(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    yesterday = clock.wall_now() - timedelta(days=1)

    with pytest.raises(DomainValidationError) as raised:
        api_tokens.create_token(
            admin, _values(department("420525").id, expires_at=yesterday)
        )

    assert raised.value.field == "expires_at"


def test_revoked_token_is_refused_at_once(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    token, text = api_tokens.create_token(admin, _values(department("420525").id))

    api_tokens.revoke_token(admin, token.id)

    assert api_tokens.authenticate(text) is None
    event = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.action == "api_token_revoked")
    ).one()
    assert event.subject_id == token.id


def test_sibling_admin_cannot_revoke(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    sibling = make_user("420526", Role.REGISTRY_ADMIN)
    token, text = api_tokens.create_token(admin, _values(department("420525").id))

    with pytest.raises(RecordNotFound):
        api_tokens.revoke_token(sibling, token.id)

    assert api_tokens.authenticate(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "fudao_",
        "fudao_0123456789ab_short",
        "Bearer fudao_0123456789ab_" + "a" * 43,
    ],
)
def test_malformed_token_is_refused(app_context, text):
    assert api_tokens.authenticate(text) is None


def test_wrong_secret_is_refused(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    token, text = api_tokens.create_token(admin, _values(department("420525").id))
    forged = text[:-1] + ("A" if text[-1] != "A" else "B")

    assert api_tokens.authenticate(forged) is None


def test_expired_token_is_refused(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    soon = clock.wall_now() + timedelta(hours=1)
    token, text = api_tokens.create_token(
        admin, _values(department("420525").id, expires_at=soon)
    )

    token.expires_at = clock.wall_now() - timedelta(seconds=1)
    db.session.commit()

    assert api_tokens.authenticate(text) is None


def test_use_records_time_once_a_minute(make_user, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    token, text = api_tokens.create_token(admin, _values(department("420525").id))

    api_tokens.authenticate(text)
    first_use = db.session.get(ApiToken, token.id).last_used_at
    api_tokens.authenticate(text)

    assert first_use is not None
    assert db.session.get(ApiToken, token.id).last_used_at == first_use


# The administration pages.


def test_page_creates_token_and_shows_it_once(make_user, sign_in, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    form = client.get("/accounts/api-tokens/new")

    response = client.post(
        "/accounts/api-tokens/new",
        data={
            "name": "市级平台",
            "department_id": department("420525").id,
            "roles": ["reviewer"],
            "expires_on": "2099-12-31",
            "csrf_token": csrf_token_from(form.get_data(as_text=True)),
        },
    )

    html = response.get_data(as_text=True)
    token = db.session.scalars(select(ApiToken)).one()
    assert response.status_code == 200
    assert f"fudao_{token.prefix}_" in html
    assert token.expires_at == datetime(2100, 1, 1)
    listing = client.get("/accounts/api-tokens/").get_data(as_text=True)
    assert "市级平台" in listing
    assert f"fudao_{token.prefix}_" not in listing


def test_page_refuses_sibling_department(make_user, sign_in, department):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    form = client.get("/accounts/api-tokens/new")

    response = client.post(
        "/accounts/api-tokens/new",
        data={
            "name": "越权令牌",
            "department_id": department("420526").id,
            "roles": ["reviewer"],
            "csrf_token": csrf_token_from(form.get_data(as_text=True)),
        },
    )

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "department_id") != []
    assert db.session.scalars(select(ApiToken)).all() == []


def test_page_revokes_token(make_user, sign_in, make_token):
    token, _headers = make_token("420525", Role.REVIEWER)
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    client = sign_in(admin)
    listing = client.get("/accounts/api-tokens/")

    response = client.post(
        f"/accounts/api-tokens/{token.id}/revoke",
        data={"csrf_token": csrf_token_from(listing.get_data(as_text=True))},
    )

    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_pages_are_for_administrators(make_user, sign_in):
    reviewer = make_user("420525", Role.REVIEWER)
    client = sign_in(reviewer)

    assert client.get("/accounts/api-tokens/").status_code == 403
    assert client.get("/accounts/api-tokens/new").status_code == 403


def test_token_account_cannot_sign_in(app, make_token):
    token, _headers = make_token("420525", Role.REVIEWER)
    username = db.session.get(User, token.user_id).username
    client = app.test_client()
    page = client.get("/sign-in")

    response = client.post(
        "/sign-in",
        data={
            "username": username,
            "password": "anything at all",
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        },
    )

    assert response.status_code == 200
