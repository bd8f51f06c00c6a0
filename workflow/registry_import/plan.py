"""The plan of an import: planned rows, problems and their counts."""

from dataclasses import dataclass, field

NOMINATE, APPOINT, UPDATE, UNCHANGED = "nominate", "appoint", "update", "unchanged"


@dataclass
class Problem:
    """One thing wrong in the upload, placed where the user will look."""

    row: int
    column: int | None
    header: str
    value: str
    message: str
    # For a duplicate, the row of the other occurrence.
    other_row: int | None = None


@dataclass
class PlannedRow:
    """The planned action for one row of the file."""

    row: int
    values: dict
    facts: object
    appointment: dict | None
    action: str | None = None
    record_id: int | None = None
    changes: list = field(default_factory=list)
    # Appointment columns filled in the file, as opposed to derived.
    given_keys: frozenset = frozenset()


@dataclass
class ImportPlan:
    """Every row's planned action and every problem found."""

    layout: object
    rows: list
    problems: list
    notices: list

    @property
    def is_valid(self):
        return not self.problems

    def counts(self):
        """Return the number of rows per planned action, and of problems."""
        counts = {NOMINATE: 0, APPOINT: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            if row.action in counts:
                counts[row.action] += 1
        counts["rows"] = len(self.rows)
        counts["problems"] = len(self.problems)
        return counts
