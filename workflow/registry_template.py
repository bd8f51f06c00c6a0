"""The registry workbook: the blank import template and the export's layout.

Both are written in openpyxl's write-only mode, which streams rows to the
file, so an export of a whole province stays within bounded memory. The
workbook has three sheets: the data sheet with one header row, the
instructions sheet that carries the template version, and a hidden sheet
holding the drop-down lists.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from workflow.models.department import TIER_LABELS
from workflow.registry_columns import (
    COLUMNS,
    DATA_SHEET_TITLE,
    INSTRUCTIONS_SHEET_TITLE,
    LISTS_SHEET_TITLE,
    TEMPLATE_VERSION,
    VERSION_LABEL,
)
from workflow.vocabulary import (
    EDUCATION_LEVELS,
    ENTRY_MODES,
    ETHNIC_GROUPS,
    GENDERS,
    POLITICAL_STATUSES,
    SOURCES,
    WORKING_MODES,
)

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
# Drop-downs and text formats cover this many rows below the header in a
# blank template; an export covers its own rows and this many more.
TEMPLATE_ROWS = 5000

REQUIRED_FILL = PatternFill("solid", fgColor="FDE7C8")
OPTIONAL_FILL = PatternFill("solid", fgColor="E8EEF4")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def drop_down_lists():
    """Return the enumerated columns' allowed values, keyed by column key."""
    return {
        "gender": GENDERS,
        "ethnicity": ETHNIC_GROUPS,
        "political_status": POLITICAL_STATUSES,
        "education": EDUCATION_LEVELS,
        "source": SOURCES,
        "working_mode": WORKING_MODES,
        "entry_mode": ENTRY_MODES,
        "tier": tuple(str(label) for label in TIER_LABELS.values()),
    }


class RegistryWorkbook:
    """A registry workbook being written row by row.

    Call ``append`` with a dict of cell values per column key, then
    ``save`` with a path or a binary stream.
    """

    def __init__(self, expected_rows=0):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(str(DATA_SHEET_TITLE))
        self.last_row = 1 + max(TEMPLATE_ROWS, expected_rows + TEMPLATE_ROWS // 10)
        self._format_columns()
        self._add_drop_downs()
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._header_cell(column) for column in COLUMNS])
        self._write_instructions()
        self._write_lists()

    def append(self, values):
        """Write one data row from ``values`` (column key to cell value)."""
        self.sheet.append([self._data_cell(column, values) for column in COLUMNS])

    def save(self, target):
        """Write the workbook to ``target`` (a path or a binary stream)."""
        self.workbook.save(target)

    def _format_columns(self):
        for number, column in enumerate(COLUMNS, start=1):
            dimension = self.sheet.column_dimensions[get_column_letter(number)]
            dimension.width = column.width + 2
            # A column formatted as text keeps what the user types there:
            # 18-digit ID numbers keep their last digits, phone numbers stay
            # phone numbers.
            if column.kind in ("id_number", "mobile") or column.key == (
                "certificate_number"
            ):
                dimension.number_format = TEXT_FORMAT
            elif column.kind == "date":
                dimension.number_format = DATE_FORMAT

    def _add_drop_downs(self):
        lists = drop_down_lists()
        for number, column in enumerate(COLUMNS, start=1):
            if column.key not in lists:
                continue
            list_column = get_column_letter(list(lists).index(column.key) + 1)
            size = len(lists[column.key])
            validation = DataValidation(
                type="list",
                formula1=(
                    f"{quote_sheetname(LISTS_SHEET_TITLE)}"
                    f"!${list_column}$1:${list_column}${size}"
                ),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(column.header),
                error=_("请从下拉列表中选择%(header)s。", header=column.header),
            )
            letter = get_column_letter(number)
            validation.add(f"{letter}2:{letter}{self.last_row}")
            self.sheet.data_validations.append(validation)

    def _header_cell(self, column):
        cell = WriteOnlyCell(self.sheet, value=str(column.header))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.alignment = WRAP
        if column.hint:
            cell.comment = Comment(str(column.hint), "Fudao")
        return cell

    def _data_cell(self, column, values):
        value = values.get(column.key)
        if isinstance(value, str):
            value = neutralize_formula(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            # openpyxl stores a string starting with "=" as a formula; every
            # string here is data.
            cell.data_type = "s"
        if column.kind == "date" and value is not None:
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str):
            cell.number_format = TEXT_FORMAT
        return cell

    def _write_instructions(self):
        sheet = self.workbook.create_sheet(str(INSTRUCTIONS_SHEET_TITLE))
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 12
        sheet.column_dimensions["C"].width = 80
        title = WriteOnlyCell(sheet, value=_("新型农业经营主体辅导员名录导入模板"))
        title.font = Font(bold=True, size=14)
        sheet.append([title])
        sheet.append([str(VERSION_LABEL), TEMPLATE_VERSION])
        sheet.append([])
        for line in INSTRUCTIONS:
            sheet.append([str(line)])
        sheet.append([])
        sheet.append(
            [_bold(sheet, _("列名")), _bold(sheet, _("是否必填")),
             _bold(sheet, _("填写要求"))]
        )  # fmt: skip
        for column in COLUMNS:
            required = _("必填") if column.required else _("选填")
            sheet.append([str(column.header), required, str(column.hint)])

    def _write_lists(self):
        sheet = self.workbook.create_sheet(LISTS_SHEET_TITLE)
        sheet.sheet_state = "hidden"
        lists = list(drop_down_lists().values())
        for index in range(max(len(values) for values in lists)):
            sheet.append(
                [values[index] if index < len(values) else None for values in lists]
            )


INSTRUCTIONS = (
    _l(
        "1. 每行填写一名辅导员，请勿修改或删除第一行列名；"
        "列的顺序可以调整，可增加备注列（导入时忽略）。"
    ),
    _l(
        "2. 身份证号、手机号码、证书编号三列为文本格式。请勿改为数字格式："
        "Excel 只保存15位有效数字，18位身份证号的末几位会永久丢失。"
    ),
    _l("3. 日期可写作 2023-03-31、2023/3/31、2023.3.31、20230331 或 2023年3月31日。"),
    _l(
        "4. 已在名录中的人员（按身份证号识别）将更新其信息，"
        "导入前会显示修改前后的对比。"
    ),
    _l("5. 填写了聘任日期和证书编号的行按已聘任人员导入；其余行作为新推荐进入审核。"),
    _l(
        "6. 导入前系统会逐格校验，有任何错误时不会导入任何一行，"
        "可下载标注了错误的文件，修改后重新上传。"
    ),
    _l("7. 支持 .xlsx、.xls 和 .csv（UTF-8 或 GBK 编码）文件。"),
)


def _bold(sheet, text):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = HEADER_FONT
    return cell


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(text):
    """Return ``text`` with an apostrophe before a leading formula character.

    Spreadsheet programs run a cell that starts with = + - or @ as a
    formula when it is edited or the sheet is saved as CSV; the apostrophe
    keeps it text. The importer removes the apostrophe again.
    """
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_template(target):
    """Write a blank import template to ``target``."""
    RegistryWorkbook().save(target)
