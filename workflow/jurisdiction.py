"""Who may see and who may act on a record.

"Who appoints, manages": the appointing department owns a record and alone
acts on it. Its ancestor departments may read it. Every other department,
siblings included, gets "not found" as if the record did not exist.

Applicant accounts stand apart from the department tree: they see and act
on the records of their own organisation only, and never on a
department's registry.
"""

from functools import cache

from sqlalchemy import bindparam, false, select
from sqlalchemy.orm import lazyload

from workflow.errors import NotPermitted, RecordNotFound
from workflow.extensions import db
from workflow.models.department import Department

# The largest id an integer primary key holds on every supported database; a
# larger number in a URL cannot name a record.
MAX_RECORD_ID = 2**31 - 1
# The escape character of the LIKE patterns that match department paths.
LIKE_ESCAPE = "/"


def visible_records(user, model):
    """Return a SELECT of ``model`` rows inside ``user``'s jurisdiction.

    A counselor's self-service account sees only rows about its own
    counselor record, through the column the model names in
    ``__counselor_key__``; models without one show it nothing.
    """
    if user.is_applicant:
        return _organisation_records(user, model)
    query = _department_records(
        model, Department.path.startswith(user.department.path, autoescape=True)
    )
    if user.is_self_service:
        key = getattr(model, "__counselor_key__", None)
        if key is None:
            return query.where(false())
        query = query.where(getattr(model, key) == user.counselor_id)
    return query


def _department_records(model, within_jurisdiction):
    return (
        select(model)
        .join(Department, model.department_id == Department.id)
        .where(within_jurisdiction)
    )


def _organisation_records(user, model):
    owner_column = getattr(model, "organisation_id", None)
    if owner_column is None:
        return select(model).where(false())
    return select(model).where(owner_column == user.organisation_id)


def is_visible(user, record):
    """Return whether ``user``'s department is the owner or an ancestor."""
    if user.is_applicant:
        return _is_own_organisation(user, record)
    if user.is_self_service:
        key = getattr(type(record), "__counselor_key__", None)
        return key is not None and getattr(record, key) == user.counselor_id
    return record.department.is_within(user.department)


def is_owner(user, record):
    """Return whether ``user`` belongs to the record's appointing department.

    For an applicant account: whether the record is its organisation's.
    """
    if user.is_applicant:
        return _is_own_organisation(user, record)
    return record.department_id == user.department_id


def is_parent(user, record):
    """Return whether ``user`` belongs to the department right above the owner.

    Applicant and self-service accounts never act for a department.
    """
    if user.is_applicant or user.is_self_service:
        return False
    return record.department.parent_id == user.department_id


def _is_own_organisation(user, record):
    return getattr(record, "organisation_id", None) == user.organisation_id


def load_visible(user, model, record_id, *, for_update=False):
    """Load one record the user may see, or raise ``RecordNotFound``.

    With ``for_update`` the row is locked until the transaction ends on
    databases that support row locks (PostgreSQL, MariaDB).
    """
    query = visible_record(user, model, record_id, for_update=for_update)
    record = db.session.scalars(query).first()
    if record is None:
        raise record_not_found(user, model, record_id)
    return record


def visible_record(user, model, record_id, *, for_update=False):
    """Return a SELECT of the one record ``load_visible`` loads.

    Raises ``RecordNotFound`` for an id no record can have.
    """
    _check_range(model, record_id)
    query = visible_records(user, model).where(model.id == record_id)
    return _locked(query, model) if for_update else query


def locked_record(user, model, record_id, extend):
    """Return ``(query, params)`` loading one record ``user`` may see, locked.

    ``extend(query, model)`` adds to the query, such as the columns of a
    joined row. For a department's user, the usual actor, the query is
    built once per model and extension, with the jurisdiction and the id as
    bound parameters: building it anew cost a workflow step a tenth of its
    time. Raises ``RecordNotFound`` for an id no record can have.
    """
    _check_range(model, record_id)
    if user.is_applicant or user.is_self_service:
        return extend(
            visible_record(user, model, record_id, for_update=True), model
        ), {}
    params = {
        "record_id": record_id,
        "jurisdiction": _escape_like(user.department.path),
    }
    return _locked_department_record(model, extend), params


@cache
def _locked_department_record(model, extend):
    # The same rows as visible_records gives a department's user, with the
    # path prefix escaped by _escape_like instead of autoescape, which
    # needs the value when the query is built.
    within = Department.path.startswith(bindparam("jurisdiction"), escape=LIKE_ESCAPE)
    query = _department_records(model, within)
    query = query.where(model.id == bindparam("record_id"))
    return extend(_locked(query, model), model)


def _escape_like(text):
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def _locked(query, model):
    # A locked load precedes a change, which rarely reads the record's
    # collections; a guard that does loads them when it reads them.
    return query.with_for_update(of=model).options(lazyload("*"))


def _check_range(model, record_id):
    if not 0 < record_id <= MAX_RECORD_ID:
        raise RecordNotFound(f"{model.__name__} id {record_id} is out of range")


def record_not_found(user, model, record_id):
    """Return the error for a record outside ``user``'s jurisdiction."""
    return RecordNotFound(
        f"{model.__name__} {record_id} not found in the jurisdiction of "
        f"department {user.department.code}"
    )


def load_own_record(user, model, record_id, message, *, for_update=False):
    """Load a record of ``user``'s own organisation.

    Raises ``RecordNotFound`` as ``load_visible`` does, and ``NotPermitted``
    with the user ``message`` when ``user`` is not the organisation's own
    account, such as a reviewer of the owning department.
    """
    record = load_visible(user, model, record_id, for_update=for_update)
    if not user.is_applicant or not _is_own_organisation(user, record):
        raise NotPermitted(
            f"user {user.id} is not the account of {model.__name__} {record_id}",
            message,
        )
    return record
