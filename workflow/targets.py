"""Programme targets of a department, read from the settings.

Each indicator has a setting such as ``COUNSELOR_TARGETS`` that maps a level
name (``ministry``, ``province``, ``prefecture``, ``county``) or a
department's six-digit code to a number. A code wins over its level, and a
missing key or 0 means the department has no target for that indicator.
"""

from flask import current_app


def target_for(setting, department):
    """Return the target in setting ``setting`` for ``department``, or None."""
    targets = current_app.config.get(setting) or {}
    value = targets.get(department.code)
    if value is None:
        value = targets.get(department.level.name.lower())
    return value or None


def share_of_target(value, target):
    """Return ``value`` as a percentage of ``target``, or None without target."""
    if not target:
        return None
    return round(100 * value / target, 1)
