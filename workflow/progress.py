"""Headline figures of the programme per department subtree, and their targets.

Each indicator (counselors in office, served entities, filed service
centers) is counted by one *tally* function ``tally(department, today)``
that returns a ``Tally``: the figure for the department's own records and
for each child department's subtree. The dashboards call only these
functions, so a new register plugs in by giving its indicator a tally.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, true

from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.states.counselor import SERVING_STATES
from workflow.states.service_center import FILED_STATES
from workflow.targets import target_for

# A department's path adds its six-digit code and a slash to its parent's,
# so every child of one department has a path this much longer.
PATH_SEGMENT_LENGTH = 7


@dataclass(frozen=True)
class Tally:
    """An indicator counted for one department and split by child subtree.

    ``own`` counts the records the department itself owns; ``by_child``
    maps each child department's path to the count in its subtree.
    """

    own: int = 0
    by_child: dict = field(default_factory=dict)

    @property
    def total(self):
        return self.own + sum(self.by_child.values())

    def for_child(self, child):
        """Return the count in the subtree of ``child``."""
        return self.by_child.get(child.path, 0)


@dataclass(frozen=True)
class Indicator:
    """A headline figure of the dashboards and where its numbers come from.

    ``tally`` is None while the register that records the figure is not
    part of the product. The dashboards then show the target and no figure.
    """

    key: str
    label: object
    unit: object
    target_setting: str
    tally: object = None

    def target(self, department):
        """Return this indicator's target for ``department``, or None."""
        return target_for(self.target_setting, department)


def in_subtree(department, department_id):
    """Return the condition that ``department_id`` lies in ``department``'s subtree.

    The condition is ``IN`` the list of the subtree's department ids rather
    than a join on the path prefix, which lets SQLite start from the few
    departments of a small subtree instead of scanning every record. The
    root's subtree is everything, so it needs no condition at all.
    """
    if department.parent_id is None:
        return true()
    return department_id.in_(
        select(Department.id).where(
            Department.path.startswith(department.path, autoescape=True)
        )
    )


def in_office(today):
    """Return the condition for counselors whose appointment runs on ``today``.

    A counselor whose term is about to end is still in office until it does.
    """
    return Counselor.state.in_(SERVING_STATES) & or_(
        Counselor.term_ends_on.is_(None), Counselor.term_ends_on >= today
    )


def tally_by_child(department, count_query):
    """Split a count by child subtree of ``department``.

    ``count_query`` is a SELECT of one count already joined to
    ``Department``, the owner of each record. This function narrows it to
    the subtree of ``department`` and groups it by child.
    """
    child_path = func.substr(
        Department.path, 1, len(department.path) + PATH_SEGMENT_LENGTH
    )
    rows = db.session.execute(
        count_query.add_columns(child_path)
        .where(in_subtree(department, Department.id))
        .group_by(child_path)
    ).all()
    own = 0
    by_child = {}
    for count, path in rows:
        if path == department.path:
            own = count
        else:
            by_child[path] = count
    return Tally(own=own, by_child=by_child)


def counselor_tally(department, today):
    """Count the counselors in office in the subtree of ``department``."""
    query = (
        select(func.count(Counselor.id))
        .join(Department, Counselor.department_id == Department.id)
        .where(in_office(today))
    )
    return tally_by_child(department, query)


def service_center_tally(department, today):
    """Count the centers on the filed list in the subtree of ``department``.

    A center ordered to rectify stays on the list until it is revoked.
    """
    query = (
        select(func.count(ServiceCenter.id))
        .join(Department, ServiceCenter.department_id == Department.id)
        .where(ServiceCenter.state.in_(FILED_STATES))
    )
    return tally_by_child(department, query)


# NOTE: served entities are recorded by a register that is not part of the
# product yet; it plugs in by setting ``tally`` on its indicator.
INDICATORS = (
    Indicator(
        "counselors",
        _l("在聘辅导员"),
        _l("人"),
        "COUNSELOR_TARGETS",
        tally=counselor_tally,
    ),
    Indicator(
        "served_entities",
        _l("服务新型农业经营主体"),
        _l("家"),
        "SERVED_ENTITY_TARGETS",
    ),
    Indicator(
        "service_centers",
        _l("备案服务中心"),
        _l("个"),
        "SERVICE_CENTER_TARGETS",
        tally=service_center_tally,
    ),
)
