"""Rows about people the department already holds: update or leave alone.

A person is recognised by ID number. Only the columns present in the file
are compared, so a file without, say, an e-mail column never clears
e-mail addresses. Records in draft, returned or appointed may be updated
as the yearly data update. A record in review or on public notice may
not change until its step is decided.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from workflow.counselor_rules import FIELD_LABELS
from workflow.nominations import FIELDS
from workflow.registry_columns import APPOINTMENT_KEYS, COLUMNS_BY_KEY
from workflow.registry_import.plan import UNCHANGED, UPDATE
from workflow.states.counselor import CounselorState

UPDATABLE_STATES = (
    CounselorState.DRAFT,
    CounselorState.RETURNED,
    CounselorState.APPOINTED,
)
# Compared as sets: the order of terms in a cell carries no meaning.
UNORDERED_FIELDS = ("work_areas", "industries", "service_area_codes")


@dataclass
class Outcome:
    """The planned action for an existing record and why it may not go ahead."""

    action: str
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def classify_existing(row, record, context, positions):
    """Compare ``row`` with ``record`` of the same department.

    Returns an ``Outcome`` whose changes are ``(label, before, after)``
    tuples of display text and whose problems are ``(key, message)``.
    """
    keys = [key for key in FIELDS if key in positions and key != "id_number"]
    changes = [
        (
            str(FIELD_LABELS[key]),
            _display(key, before, context),
            _display(key, after, context),
        )
        for key, before, after in _differences(record, row.values, keys)
    ]
    outcome = Outcome(action=UPDATE if changes else UNCHANGED, changes=changes)
    state = record.state
    if row.appointment:
        filled = {key: row.appointment[key] for key in row.given_keys}
        outcome.problems.extend(_appointment_conflicts(filled, record))
    if changes and state not in UPDATABLE_STATES:
        outcome.problems.append(
            (
                "id_number",
                _l(
                    "该人员的推荐正处于“%(state)s”阶段，不能通过导入修改信息；"
                    "请在审核或公示结束后再导入，或删去此行。",
                    state=state.label,
                ),
            )
        )
    return outcome


def merged_values(row, record, positions):
    """Return the record's values with those of the file's columns applied."""
    values = {key: getattr(record, key) for key in FIELDS}
    for key in FIELDS:
        if key in positions:
            values[key] = row.values[key]
    return values


def _differences(record, values, keys):
    for key in keys:
        before, after = getattr(record, key), values.get(key)
        if key in UNORDERED_FIELDS:
            if set(before or ()) != set(after or ()):
                yield key, before, after
        elif (before or None) != (after or None):
            yield key, before, after


def _appointment_conflicts(filled, record):
    if record.state is not CounselorState.APPOINTED:
        yield (
            "appointed_on",
            _l(
                "该人员在名录中为“%(state)s”，尚未聘任，不能按已聘任人员导入；"
                "请删去聘任日期、聘期和证书编号。",
                state=record.state.label,
            ),
        )
        return
    for key in APPOINTMENT_KEYS:
        if key in filled and getattr(record, key) != filled[key]:
            yield (
                key,
                _l(
                    "与名录中已聘任记录的%(label)s（%(stored)s）不一致。"
                    "聘任信息不能通过导入修改，请核对后改为名录中的值。",
                    label=COLUMNS_BY_KEY[key].header,
                    stored=getattr(record, key),
                ),
            )


def _display(key, value, context):
    if value is None or value == []:
        return ""
    if key == "service_area_codes":
        return "、".join(context.area_names.get(code, code) for code in value)
    if isinstance(value, list):
        return "、".join(value)
    return str(value)
