"""Reading the rows of an uploaded registry spreadsheet.

Workbooks (.xlsx and .xls) are read with python-calamine, after
``files.check_xlsx_package`` has bounded what an .xlsx unpacks to; CSV is
decoded and parsed as a stream. Either way the caller gets the data sheet's
header row and an iterator of ``(row_number, cells)``, where the row number
is the one the user sees at the left of their spreadsheet and ``cells`` is
indexed from column A.
"""

import csv
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetVisibleEnum,
)

from workflow.registry_columns import (
    INSTRUCTIONS_SHEET_TITLE,
    LISTS_SHEET_TITLE,
    VERSION_LABEL,
    header_index,
    header_key,
    match_header,
)
from workflow.registry_import.files import (
    CORRUPT,
    CSV,
    PASSWORD_PROTECTED,
    XLSX,
    FileRejected,
    check_xlsx_package,
    csv_encoding,
    detect_format,
    too_many_rows,
)

# The header row must lie within this many rows from the top, below any
# title rows a department adds.
HEADER_SEARCH_ROWS = 10
# A row is taken for the header when it names at least this many columns.
MIN_HEADER_MATCHES = 3


@dataclass
class SheetLayout:
    """The data sheet of an upload: where its header is and what it names."""

    file_format: str
    sheet_name: str
    header_row: int
    columns: dict
    headers: dict
    unknown_headers: list = field(default_factory=list)
    duplicate_headers: list = field(default_factory=list)
    template_version: str | None = None


def read_upload(content, filename, limits):
    """Open an upload; return its layout and an iterator of data rows.

    ``layout.columns`` maps a 0-based column index to its ``Column`` and
    ``layout.headers`` maps it to the header text as written. Raises
    ``FileRejected`` for any problem with the file as a whole.
    """
    file_format = detect_format(content, filename, limits)
    if file_format == CSV:
        sheets = [(None, _csv_rows(content))]
        version = None
    else:
        if file_format == XLSX:
            check_xlsx_package(content, limits)
        workbook = _open_workbook(content)
        sheets = _workbook_sheets(workbook)
        version = _template_version(workbook)
    for sheet_name, rows in sheets:
        found = _find_header(rows)
        if found is None:
            continue
        header_row, cells = found
        layout = _layout(file_format, sheet_name, header_row, cells)
        layout.template_version = version
        return layout, _data_rows(rows, limits)
    raise FileRejected("no header row found", NO_HEADER)


def sheet_rows(content, file_format, sheet_name):
    """Yield every row of an upload's data sheet, empty rows included.

    Call only for a file ``read_upload`` has accepted.
    """
    if file_format == CSV:
        yield from _csv_rows(content)
        return
    sheet = _open_workbook(content).get_sheet_by_name(sheet_name)
    yield from _sheet_rows(sheet)


NO_HEADER = _l(
    "未找到表头行：前10行中没有“姓名”“身份证号”等列名。"
    "请使用导入模板，或将列名放在数据上方的一行中。"
)


def _open_workbook(content):
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(content))
    except PasswordError as error:
        raise FileRejected(str(error), PASSWORD_PROTECTED) from None
    except CalamineError as error:
        raise FileRejected(str(error), CORRUPT) from None


def _workbook_sheets(workbook):
    skipped = {str(INSTRUCTIONS_SHEET_TITLE), LISTS_SHEET_TITLE}
    for metadata in workbook.sheets_metadata:
        if metadata.visible != SheetVisibleEnum.Visible or metadata.name in skipped:
            continue
        try:
            sheet = workbook.get_sheet_by_name(metadata.name)
        except CalamineError as error:
            raise FileRejected(str(error), CORRUPT) from None
        yield metadata.name, _sheet_rows(sheet)


def _sheet_rows(sheet):
    # calamine starts its rows and columns at the first cell in use. Pad
    # them back so numbers and letters match the user's spreadsheet.
    start = sheet.start
    if start is None:
        return
    first_row, first_column = start
    padding = [None] * first_column
    for offset, cells in enumerate(sheet.iter_rows()):
        yield first_row + offset + 1, padding + cells if padding else cells


def _csv_rows(content):
    encoding = csv_encoding(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    try:
        yield from enumerate(csv.reader(text), start=1)
    except csv.Error as error:
        raise FileRejected(f"CSV: {error}", CORRUPT) from None


def _template_version(workbook):
    # The template prints its version beside a label on the instructions
    # sheet; a workbook made without the template has none.
    name = str(INSTRUCTIONS_SHEET_TITLE)
    if name not in workbook.sheet_names:
        return None
    wanted = header_key(VERSION_LABEL)
    sheet = workbook.get_sheet_by_name(name)
    for cells in sheet.to_python(nrows=HEADER_SEARCH_ROWS):
        if len(cells) > 1 and header_key(cells[0]) == wanted:
            return str(cells[1]).strip() or None
    return None


def _find_header(rows):
    index = header_index()
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            return None
        matches = sum(1 for cell in cells if match_header(cell, index))
        if matches >= MIN_HEADER_MATCHES:
            return number, cells
    return None


def _layout(file_format, sheet_name, header_row, cells):
    index = header_index()
    columns, headers, unknown, duplicates = {}, {}, [], []
    seen = {}
    for position, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        column = match_header(text, index)
        if column is None:
            unknown.append(text)
        elif column.key in seen:
            duplicates.append((column, seen[column.key], position))
        else:
            seen[column.key] = position
            columns[position] = column
            headers[position] = " ".join(text.replace("\n", "").split())
    return SheetLayout(
        file_format=file_format,
        sheet_name=sheet_name,
        header_row=header_row,
        columns=columns,
        headers=headers,
        unknown_headers=unknown,
        duplicate_headers=duplicates,
    )


def _data_rows(rows, limits):
    count = 0
    for number, cells in rows:
        if not any(_has_value(cell) for cell in cells):
            continue
        count += 1
        if count > limits.max_rows:
            raise too_many_rows(count, limits)
        yield number, cells


def _has_value(cell):
    return (
        cell is not None
        and cell != ""
        and not (isinstance(cell, str) and not cell.strip())
    )
