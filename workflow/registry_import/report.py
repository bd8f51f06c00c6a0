"""The validation report kept with a batch and shown on its preview page.

The page shows the first problems and changes; the annotated workbook
carries all of them. Lists are capped so a file full of errors does not
make a batch row of hundreds of megabytes.
"""

from openpyxl.utils import get_column_letter

from workflow.registry_import.plan import UPDATE

MAX_REPORTED_PROBLEMS = 500
MAX_REPORTED_CHANGES = 300


def plan_report(plan, earlier=None):
    """Return ``plan`` as a JSON-ready dict for the preview page."""
    updates = [row for row in plan.rows if row.action == UPDATE]
    return {
        "sheet": plan.layout.sheet_name,
        "header_row": plan.layout.header_row,
        "counts": plan.counts(),
        "notices": [str(notice) for notice in plan.notices],
        "problems": [
            problem_entry(problem) for problem in plan.problems[:MAX_REPORTED_PROBLEMS]
        ],
        "changes": [_change_entry(row) for row in updates[:MAX_REPORTED_CHANGES]],
        "earlier_batch": _earlier_entry(earlier),
    }


def problem_entry(problem):
    """Return one problem as the report and the CLI show it."""
    return {
        "row": problem.row,
        "column": column_letter(problem.column),
        "header": problem.header,
        "value": problem.value,
        "message": problem.message,
        "other_row": problem.other_row,
    }


def column_letter(position):
    """Return the spreadsheet letter of a 0-based column index, or ``""``."""
    return "" if position is None else get_column_letter(position + 1)


def _change_entry(row):
    id_number = row.values["id_number"]
    return {
        "row": row.row,
        "name": row.values["name"],
        "id_number": f"{id_number[:6]}********{id_number[-4:]}",
        "record_id": row.record_id,
        "changes": [list(change) for change in row.changes],
    }


def _earlier_entry(batch):
    if batch is None:
        return None
    return {
        "id": batch.id,
        "committed_at": batch.committed_at.strftime("%Y-%m-%d %H:%M"),
        "by": batch.committed_by.display_name if batch.committed_by else "",
    }
