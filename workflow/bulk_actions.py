"""Actions on several queue items at once, each reported on its own.

A bulk step runs the real workflow step through the engine for every
item, each in its own transaction and with the version the user saw. An
item that is rejected (stale, claimed by someone else, stopped by a guard)
does not stop the rest.
"""

import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from workflow import claims, engine
from workflow.errors import WorkflowError
from workflow.extensions import db
from workflow.jurisdiction import load_visible

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemResult:
    """The outcome of one item of a bulk action."""

    record_id: int
    label: str
    succeeded: bool
    message: str


def parse_items(values):
    """Return (record id, version) pairs from "id:version" form values.

    Raises ``ValueError`` naming the first value that is not two integers.
    """
    items = []
    for value in values:
        record_id, _, version = value.partition(":")
        if not record_id.isdigit() or not version.isdigit():
            raise ValueError(f"bulk item {value!r} is not 'id:version'")
        items.append((int(record_id), int(version)))
    return items


def _label(model, user, record_id):
    try:
        return load_visible(user, model, record_id).name
    except WorkflowError:
        return f"#{record_id}"


def take_step_on_each(model, items, trigger, actor):
    """Fire ``trigger`` on each (id, version) in ``items``; return the results."""
    results = []
    for record_id, version in items:
        label = _label(model, actor, record_id)
        try:
            record = engine.fire(
                model, record_id, trigger, actor, expected_version=version
            )
        except WorkflowError as error:
            logger.info(
                "bulk %s on %s %s rejected: %s",
                trigger,
                model.__name__,
                record_id,
                error,
            )
            results.append(ItemResult(record_id, label, False, str(error.user_message)))
        else:
            results.append(ItemResult(record_id, label, True, str(record.state.label)))
    return results


def _each(model, items, user, change, done_message):
    results = []
    for record_id, _version in items:
        label = _label(model, user, record_id)
        try:
            record = load_visible(user, model, record_id, for_update=True)
            change(record)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            results.append(ItemResult(record_id, label, False, str(error.user_message)))
        else:
            results.append(ItemResult(record.id, label, True, str(done_message)))
    return results


def claim_each(model, items, user):
    """Claim each item for ``user``; return the results."""
    return _each(
        model, items, user, lambda record: claims.claim(user, record), _l("已认领")
    )


def release_each(model, items, user):
    """Release ``user``'s claim (or, as administrator, any claim) on each item."""
    return _each(
        model,
        items,
        user,
        lambda record: claims.release(user, record),
        _l("已释放"),
    )


def reassign_each(model, items, admin, assignee):
    """Assign each item to ``assignee`` as administrator; return the results."""
    return _each(
        model,
        items,
        admin,
        lambda record: claims.reassign(admin, record, assignee),
        _l("已改派给 %(name)s", name=assignee.display_name),
    )
