"""A copy of the uploaded sheet with every problem marked where it sits.

The copy keeps the rows and columns where the user had them, so row 37,
column C in the copy is row 37, column C in their file. Bad cells are
filled red and carry a comment saying what to do; a second sheet lists
every problem. The copy is always .xlsx, whatever was uploaded, and is
written in openpyxl's write-only mode one row at a time.
"""

from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from workflow.registry_columns import DATA_SHEET_TITLE
from workflow.registry_import.reading import sheet_rows
from workflow.registry_import.report import column_letter

PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")
PROBLEM_FONT = Font(color="9C0006")
DATE_FORMAT = "yyyy-mm-dd"


def write_annotated(content, plan, target):
    """Write the annotated copy of the upload that ``plan`` describes."""
    by_cell = {}
    for problem in plan.problems:
        by_cell.setdefault((problem.row, problem.column), []).append(problem.message)

    workbook = Workbook(write_only=True)
    layout = plan.layout
    sheet = workbook.create_sheet(layout.sheet_name or str(DATA_SHEET_TITLE))
    sheet.freeze_panes = f"A{layout.header_row + 1}"
    for position, column in layout.columns.items():
        sheet.column_dimensions[column_letter(position)].width = column.width + 2
    next_row = 1
    for number, cells in sheet_rows(content, layout.file_format, layout.sheet_name):
        while next_row < number:
            sheet.append([])
            next_row += 1
        sheet.append(
            [
                _cell(sheet, value, by_cell.get((number, position)))
                for position, value in enumerate(cells)
            ]
        )
        next_row += 1
    _write_problem_list(workbook, plan.problems)
    workbook.save(target)


def _cell(sheet, value, messages):
    if value == "":
        value = None
    elif isinstance(value, (datetime, date)):
        pass
    elif not isinstance(value, (int, float, str)):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Keep text as text: no formulas, no numbers re-read from strings.
        cell.data_type = "s"
        cell.number_format = "@"
    elif isinstance(value, (datetime, date)):
        cell.number_format = DATE_FORMAT
    if messages:
        cell.fill = PROBLEM_FILL
        cell.font = PROBLEM_FONT
        cell.comment = Comment("\n".join(messages), "Fudao", width=320, height=120)
    return cell


def _write_problem_list(workbook, problems):
    sheet = workbook.create_sheet(_("问题清单"))
    for letter, width in zip("ABCDE", (8, 8, 16, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_("行号"), _("列"), _("列名"), _("填写内容"), _("问题及修改方法")])
    for problem in problems:
        sheet.append(
            [
                problem.row,
                column_letter(problem.column),
                _text(sheet, problem.header),
                _text(sheet, problem.value),
                _text(sheet, problem.message),
            ]
        )


def _text(sheet, text):
    cell = WriteOnlyCell(sheet, value=text or None)
    if text:
        cell.data_type = "s"
    return cell
