"""The current time used by the workflow.

Every date a rule depends on (notice ends, terms, certificate years) is read
here, so tests and demo data can set the clock instead of waiting for days.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

# Deadlines in the registry are Beijing dates whatever the server's zone.
TIMEZONE = ZoneInfo("Asia/Shanghai")

_frozen = None


def now():
    """Return the current naive Beijing time, or the frozen time if set."""
    if _frozen is not None:
        return _frozen
    return wall_now()


def wall_now():
    """Return the real current Beijing time, even while the clock is frozen.

    Sessions, lockouts and security events follow the wall clock: tests and
    demo seeding move the workflow clock by days, and that must not end a
    sign-in or lift a lockout.
    """
    return datetime.now(TIMEZONE).replace(tzinfo=None)


def freeze(moment):
    """Make ``now`` return ``moment`` until ``unfreeze`` is called."""
    global _frozen
    _frozen = moment


def unfreeze():
    """Return ``now`` to the real clock."""
    global _frozen
    _frozen = None
