"""Who may see and who may act on a record.

"Who appoints, manages": the appointing department owns a record and alone
acts on it. Its ancestor departments may read it. Every other department,
siblings included, is told the record does not exist.
"""

from sqlalchemy import select

from workflow.errors import RecordNotFound
from workflow.extensions import db
from workflow.models.department import Department


def visible_records(user, model):
    """Return a SELECT of ``model`` rows inside ``user``'s jurisdiction."""
    return (
        select(model)
        .join(Department, model.department_id == Department.id)
        .where(Department.path.startswith(user.department.path, autoescape=True))
    )


def is_visible(user, record):
    """Return whether ``user``'s department is the owner or an ancestor."""
    return record.department.is_within(user.department)


def is_owner(user, record):
    """Return whether ``user`` belongs to the record's appointing department."""
    return record.department_id == user.department_id


def is_parent(user, record):
    """Return whether ``user`` belongs to the department right above the owner."""
    return record.department.parent_id == user.department_id


def load_visible(user, model, record_id, *, for_update=False):
    """Load one record the user may see, or raise ``RecordNotFound``.

    With ``for_update`` the row is locked until the transaction ends on
    databases that support row locks (PostgreSQL, MariaDB).
    """
    query = visible_records(user, model).where(model.id == record_id)
    if for_update:
        query = query.with_for_update(of=model)
    record = db.session.scalars(query).first()
    if record is None:
        raise RecordNotFound(
            f"{model.__name__} {record_id} not found in the jurisdiction of "
            f"department {user.department.code}"
        )
    return record
