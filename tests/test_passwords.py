"""Password rules, reuse history, one-time passwords and the hash algorithm."""

import pytest

from workflow import passwords
from workflow.errors import DomainValidationError
from workflow.models import Role


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#short", "至少需要 10 个字符"),
        ("alllowercaseletters", "至少 3 类"),
        ("lowercase123456", "至少 3 类"),
        ("Xuser1-420525abc!", "不能包含用户名"),
        ("XUSER1-420525ABC1", "不能包含用户名"),
    ],
)
def test_rules_reject_weak_password(app_context, password, message):
    with pytest.raises(DomainValidationError) as caught:
        passwords.check_password_rules(password, "user1-420525")

    assert message in str(caught.value.user_message)


@pytest.mark.parametrize(
    "password", ["Harvest-Moon-2026", "田间地头Field12", "Tea garden 42"]
)
def test_rules_accept_strong_password(app_context, password):
    passwords.check_password_rules(password, "user1-420525")


def test_last_five_passwords_are_refused(make_user):
    user = make_user("420525", Role.REVIEWER, password="Start-Password-0")
    for number in range(1, 5):
        passwords.store_password(user, f"Rotated-Password-{number}", one_time=False)

    for number in range(0, 5):
        old = "Start-Password-0" if number == 0 else f"Rotated-Password-{number}"
        with pytest.raises(DomainValidationError, match="reuses"):
            passwords.check_not_reused(user, old)


def test_sixth_oldest_password_may_return(make_user):
    user = make_user("420525", Role.REVIEWER, password="Start-Password-0")
    for number in range(1, 6):
        passwords.store_password(user, f"Rotated-Password-{number}", one_time=False)

    passwords.check_not_reused(user, "Start-Password-0")

    assert len(user.password_history) == 4


def test_one_time_password_meets_default_rules(app_context):
    generated = {passwords.generate_one_time_password() for _ in range(50)}

    for password in generated:
        passwords.check_password_rules(password, "someone")
    assert len(generated) == 50


def test_password_is_hashed_with_scrypt(make_user):
    # Test accounts start with a cheaper hash; storing a password goes
    # through the product's own hashing.
    user = make_user("420525", Role.REVIEWER)

    passwords.store_password(user, "Harvest-Moon-2026", one_time=False)

    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("Harvest-Moon-2026")
    assert "Harvest-Moon-2026" not in user.password_hash
