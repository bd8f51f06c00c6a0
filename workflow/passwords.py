"""Password rules, one-time passwords and the history that blocks reuse.

The rules apply to every password a person chooses through the product:
at least ``PASSWORD_MIN_LENGTH`` characters, ``PASSWORD_MIN_CLASSES`` of
the four character classes, not containing the user name, and none of the
last ``PASSWORD_HISTORY`` passwords of the account.
"""

import secrets
import string
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from workflow import clock
from workflow.errors import DomainValidationError
from workflow.models.user import PasswordHistory

# Letters and digits that cannot be mistaken for each other when an
# administrator reads a one-time password out over the phone.
_UNAMBIGUOUS = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
_SYMBOLS = "#%+=@"


def character_classes(password):
    """Return how many of upper, lower, digit and other characters appear."""
    tests = (str.isupper, str.islower, str.isdigit)
    found = [any(test(ch) for ch in password) for test in tests]
    found.append(any(not ch.isalnum() for ch in password))
    return sum(found)


def check_password_rules(password, username, field="password"):
    """Raise ``DomainValidationError`` naming the first rule ``password`` breaks."""
    config = current_app.config
    minimum = config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise DomainValidationError(
            field,
            f"password shorter than {minimum} characters",
            _l("密码至少需要 %(count)s 个字符。", count=minimum),
        )
    classes = config["PASSWORD_MIN_CLASSES"]
    if character_classes(password) < classes:
        raise DomainValidationError(
            field,
            f"password has fewer than {classes} character classes",
            _l(
                "密码需包含大写字母、小写字母、数字、其他符号中的至少 %(count)s 类。",
                count=classes,
            ),
        )
    if username and username.lower() in password.lower():
        raise DomainValidationError(
            field, "password contains the user name", _l("密码不能包含用户名。")
        )


def check_not_reused(user, password, field="password"):
    """Raise ``DomainValidationError`` if ``password`` is one of the recent ones."""
    count = current_app.config["PASSWORD_HISTORY"]
    recent = [user.password_hash] + [
        row.password_hash for row in user.password_history[: max(count - 1, 0)]
    ]
    if count and any(check_password_hash(digest, password) for digest in recent):
        raise DomainValidationError(
            field,
            f"password reuses one of the last {count} of user {user.id}",
            _l("新密码不能与最近 %(count)s 次使用过的密码相同。", count=count),
        )


def store_password(user, password, *, one_time):
    """Hash ``password`` onto ``user`` and keep the old hash in the history.

    With ``one_time`` the user must choose their own password at the next
    sign-in, within ``ONE_TIME_PASSWORD_HOURS``.
    """
    now = clock.wall_now()
    if user.password_hash:
        user.password_history.insert(
            0, PasswordHistory(password_hash=user.password_hash, created_at=now)
        )
        keep = max(current_app.config["PASSWORD_HISTORY"] - 1, 0)
        del user.password_history[keep:]
    user.set_password(password)
    user.password_changed_at = now
    user.must_change_password = one_time
    user.failed_sign_ins = 0
    user.locked_until = None


def one_time_password_expired(user, now):
    """Return whether ``user``'s one-time password is too old to sign in with."""
    if not user.must_change_password or user.password_changed_at is None:
        return False
    hours = current_app.config["ONE_TIME_PASSWORD_HOURS"]
    return now > user.password_changed_at + timedelta(hours=hours)


def generate_one_time_password():
    """Return a random 12-character password that meets the default rules."""
    while True:
        body = [secrets.choice(_UNAMBIGUOUS) for _ in range(10)]
        body += [secrets.choice(string.digits[2:]), secrets.choice(_SYMBOLS)]
        secrets.SystemRandom().shuffle(body)
        password = "".join(body)
        if character_classes(password) == 4:
            return password
