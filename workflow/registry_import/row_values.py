"""One spreadsheet row turned into registry values and checked on its own.

``RowReader.read`` normalises each cell by its column's kind. It then runs the
counselor field rules shared with the nomination form and checks the
columns only a spreadsheet has (birth date, tier, appointing department).
A row describing an earlier appointment also meets the guards of the
engine's ``import_appointed`` step.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from workflow import engine
from workflow.counselor_rules import COUNT_FIELDS, MULTIPLE_CHOICES, record_errors
from workflow.models.counselor import Counselor
from workflow.nominations import FIELDS
from workflow.registry_columns import APPOINTMENT_KEYS
from workflow.registry_import import normalising
from workflow.registry_import.normalising import CellError
from workflow.registry_import.plan import PlannedRow
from workflow.terms import term_end

LIST_FIELDS = (*MULTIPLE_CHOICES, "service_area_codes")
# Marks a cell not yet normalised in a column's outcomes.
_UNSEEN = object()


@dataclass(frozen=True)
class RowContext:
    """Facts about the importing department that checking a row needs."""

    actor: object
    today: object
    allowed_codes: frozenset
    division_names: dict
    area_names: dict
    term_years: int


@dataclass
class AppointmentCandidate:
    """The attributes the ``import_appointed`` guards read from a record."""

    department: object
    appointed_on: object
    term_starts_on: object
    term_ends_on: object
    certificate_number: object


class RowReader:
    """Turns the rows of one upload into ``PlannedRow`` values and problems.

    Most columns repeat a handful of values over thousands of rows (gender,
    ethnicity, education, service area), so each column keeps the outcome
    of every distinct cell, and the field rules keep theirs per distinct
    value: a 30,000-row sheet normalises and checks each value once.
    """

    def __init__(self, columns, context):
        self.context = context
        self.columns = [
            (position, column, column.key in FIELDS, {})
            for position, column in columns.items()
        ]
        self.known_rule_outcomes = {}

    def read(self, cells):
        """Return the row's ``PlannedRow`` and its problems.

        Problems are ``(column key, message, cell value)`` tuples.
        """
        values = _empty_values()
        extras = {}
        problems = []
        failed = set()
        for position, column, is_field, outcomes in self.columns:
            cell = cells[position] if position < len(cells) else None
            # The type is part of the key because 1, 1.0 and True are equal.
            value = outcomes.get((cell.__class__, cell), _UNSEEN)
            if value is _UNSEEN:
                value = self._normalised(column, cell, outcomes)
            if isinstance(value, CellError):
                problems.append((column.key, value.user_message, cell))
                failed.add(column.key)
            elif is_field:
                values[column.key] = list(value) if type(value) is list else value
            else:
                extras[column.key] = value
        return self._checked(values, extras, failed, problems)

    def _normalised(self, column, cell, outcomes):
        try:
            value = _normalise(column, cell, self.context)
        except CellError as error:
            value = error
        outcomes[(cell.__class__, cell)] = value
        return value

    def _checked(self, values, extras, failed, problems):
        context = self.context
        facts, errors = record_errors(
            values, context.today, context.allowed_codes, self.known_rule_outcomes
        )
        for error in errors:
            if error.field not in failed:
                problems.append(
                    (error.field, error.user_message, values.get(error.field))
                )
        birth_date = extras.get("birth_date")
        if facts and birth_date and birth_date != facts.birth_date:
            problems.append(("birth_date", _BIRTH_MISMATCH, birth_date))

        appointment = _appointment(extras, failed, context, problems)
        row = PlannedRow(
            row=0,
            values=values,
            facts=facts,
            appointment=appointment,
            given_keys=frozenset(k for k in APPOINTMENT_KEYS if extras.get(k)),
        )
        return row, problems


_BIRTH_MISMATCH = _l(
    "出生日期与身份证号码中的出生日期不一致，请核对，或留空由号码得出。"
)


def _empty_values():
    values = dict.fromkeys(FIELDS)
    for key in LIST_FIELDS:
        values[key] = []
    for key in COUNT_FIELDS:
        values[key] = 0
    return values


def _normalise(column, cell, context):
    kind = column.kind
    if kind == "text":
        return normalising.clean_text(cell)
    if kind == "choice":
        return normalising.choice(cell, column.key)
    if kind == "multiple":
        return normalising.multiple(cell)
    if kind == "id_number":
        return normalising.id_number(cell)
    if kind == "mobile":
        return normalising.mobile(cell)
    if kind == "date":
        return normalising.a_date(cell)
    if kind == "count":
        return normalising.count(cell)
    if kind == "areas":
        return normalising.division_codes(cell, context.division_names)
    if kind == "department":
        return _check_department(normalising.clean_text(cell), context)
    if kind == "tier":
        return _check_tier(normalising.clean_text(cell), context)
    raise ValueError(f"column {column.key} has unknown kind {kind!r}")


def _check_department(text, context):
    department = context.actor.department
    if text is None or text in (department.name, department.code):
        return text
    raise CellError(
        f"department {text!r} is not {department.code}",
        _l(
            "只能导入本部门（%(department)s）聘任的辅导员。其他部门的人员请由该部门导入；"
            "本部门的人员请把此格改为“%(department)s”或留空。",
            department=department.name,
        ),
    )


def _check_tier(text, context):
    tier = str(context.actor.department.level.tier_label)
    if text is None or text == tier:
        return text
    raise CellError(
        f"tier {text!r} is not {tier}",
        _l(
            "聘任层级由导入部门决定，本部门为“%(tier)s”，请改为“%(tier)s”或留空。",
            tier=tier,
        ),
    )


def _appointment(extras, failed, context, problems):
    # A row with any appointment column filled describes an appointment
    # made before the registry existed; others are new nominations.
    appointment = {key: extras.get(key) for key in APPOINTMENT_KEYS}
    if failed.intersection(APPOINTMENT_KEYS):
        return appointment
    if not any(appointment.values()):
        return None
    start = appointment["term_starts_on"] or appointment["appointed_on"]
    appointment["term_starts_on"] = start
    if appointment["term_ends_on"] is None and start is not None:
        appointment["term_ends_on"] = term_end(start, context.term_years)
    candidate = AppointmentCandidate(department=context.actor.department, **appointment)
    for message in engine.guard_messages(
        Counselor, "import_appointed", candidate, context.actor
    ):
        key = _appointment_key(appointment)
        problems.append((key, message, appointment.get(key)))
    return appointment


def _appointment_key(appointment):
    # Point the user at the first appointment cell that is still empty.
    for key in ("appointed_on", "certificate_number"):
        if not appointment.get(key):
            return key
    return "appointed_on"
