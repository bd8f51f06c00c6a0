"""Masking of ID numbers and mobiles, and the log of every full view.

Under the Personal Information Protection Law a department shows personal
data only to those whose work needs it. Lists, record pages and exports
show ID numbers and mobiles masked; users holding one of the roles in
``FULL_PERSONAL_DATA_ROLES`` may reveal them, and each reveal and each
export is written to the security log with who, what and when.
"""

from flask import current_app

from workflow import security_log
from workflow.extensions import db
from workflow.roles import Role


def mask_id_number(value):
    """Return an ID number with the birth date and serial hidden."""
    if not value:
        return ""
    return f"{value[:6]}********{value[-4:]}"


def mask_mobile(value):
    """Return a mobile number with its middle four digits hidden."""
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}"


def can_see_full(user):
    """Return whether ``user``'s roles allow full ID numbers and mobiles."""
    roles = [Role(name) for name in current_app.config["FULL_PERSONAL_DATA_ROLES"]]
    return user.has_role(*roles)


def record_full_view(user, record, reason, address=None):
    """Log that ``user`` saw ``record``'s full ID number; commit."""
    security_log.record_event(
        security_log.ID_NUMBER_VIEWED,
        user,
        subject=record,
        detail=reason,
        address=address,
    )
    db.session.commit()
