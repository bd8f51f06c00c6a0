"""The columns of the registry spreadsheet, shared by template, import and export.

Columns are found by their header text, never by position, so a
department may reorder, drop optional columns or add its own notes. Header
text is compared after ``header_key`` has removed what spreadsheet
programs and people add around it: spaces and line breaks, full-width
forms, a leading ``*`` for required columns and a trailing explanation in
brackets.
"""

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Printed on the template's instructions sheet and read back on import.
# Raise it whenever a column is added, renamed or changes meaning, and list
# the old value in OLD_TEMPLATE_VERSIONS.
TEMPLATE_VERSION = "2026.1"
OLD_TEMPLATE_VERSIONS = frozenset()

DATA_SHEET_TITLE = _l("辅导员名录")
INSTRUCTIONS_SHEET_TITLE = _l("填写说明")
LISTS_SHEET_TITLE = "lists"
VERSION_LABEL = _l("模板版本")


@dataclass(frozen=True)
class Column:
    """One registry column: the field it fills, its header and its kind.

    ``kind`` selects how cells are normalised on import: ``text``,
    ``id_number``, ``mobile``, ``date``, ``choice``, ``multiple``,
    ``count``, ``areas``, ``department`` or ``tier``.
    """

    key: str
    header: object
    kind: str
    required: bool = False
    aliases: tuple = ()
    width: int = 12
    hint: object = ""


COLUMNS = (
    Column("name", _l("姓名"), "text", True, ("人员姓名",), 10,
           _l("2至30个汉字或字母，少数民族姓名可含间隔号“·”。")),
    Column("gender", _l("性别"), "choice", True, (), 6,
           _l("男或女，须与身份证号码一致。")),
    Column("id_number", _l("身份证号"), "id_number", True,
           ("身份证号码", "公民身份号码", "身份证"), 21,
           _l("18位，最后一位可为X。本列已设为文本格式，请勿改为数字格式。")),
    Column("birth_date", _l("出生日期"), "date", False, (), 12,
           _l("可不填，由身份证号码得出；填写时须与号码一致。")),
    Column("ethnicity", _l("民族"), "choice", True, (), 10,
           _l("从下拉列表选择，如“汉族”。")),
    Column("political_status", _l("政治面貌"), "choice", True, (), 12,
           _l("从下拉列表选择。")),
    Column("education", _l("学历"), "choice", True, ("文化程度", "最高学历"), 12,
           _l("从下拉列表选择。")),
    Column("professional_title", _l("专业技术职称"), "text", False, ("职称",), 14,
           _l("可不填，不超过60字。")),
    Column("employer", _l("工作单位"), "text", True, ("单位", "工作单位名称"), 24,
           _l("不超过100字。")),
    Column("position", _l("职务"), "text", False, (), 10, _l("可不填，不超过60字。")),
    Column("mobile", _l("手机号码"), "mobile", True, ("手机号", "手机", "联系电话"), 14,
           _l("11位手机号码。本列已设为文本格式。")),
    Column("email", _l("电子邮箱"), "text", False, ("邮箱", "电子邮件"), 22,
           _l("可不填。")),
    Column("source", _l("人员来源"), "choice", True, (), 22,
           _l("从下拉列表选择。")),
    Column("work_areas", _l("辅导员类型"), "multiple", True, (), 20,
           _l("可填多项，用顿号“、”分隔，如“组织建设、财务会计”。")),
    Column("industries", _l("产业领域"), "multiple", True, (), 16,
           _l("可填多项，用顿号“、”分隔。")),
    Column("working_mode", _l("工作模式"), "choice", True, (), 10,
           _l("专职或兼职。")),
    Column("entry_mode", _l("聘任方式"), "choice", True, (), 10,
           _l("指定或聘任。")),
    Column("tier", _l("聘任层级"), "tier", False, (), 10,
           _l("可不填，由导入部门的级别决定；填写时须与之一致。")),
    Column("department", _l("聘任部门"), "department", False, (), 20,
           _l("可不填；填写时须为导入部门的名称或6位区划代码。")),
    Column("service_area_codes", _l("服务区域"), "areas", True, (), 18,
           _l("本部门或下级区划的名称或6位代码，多个用顿号“、”分隔。")),
    Column("appointed_on", _l("聘任日期"), "date", False, (), 12,
           _l("已聘任人员填写证书上的日期，如2023-03-31；新推荐人员不填。")),
    Column("term_starts_on", _l("聘期开始日期"), "date", False,
           ("聘期开始", "聘期起"), 12,
           _l("已聘任人员填写；不填时按聘任日期。")),
    Column("term_ends_on", _l("聘期结束日期"), "date", False,
           ("聘期结束", "聘期止"), 12,
           _l("已聘任人员填写；不填时按聘期年限推算。")),
    Column("certificate_number", _l("证书编号"), "text", False,
           ("聘任证书编号",), 18,
           _l("已聘任人员填写聘任证书上的编号；新推荐人员不填。")),
    Column("served_cooperatives", _l("服务合作社数量"), "count", False, (), 10,
           _l("上一年度服务的农民合作社数，不填按0计。")),
    Column("served_family_farms", _l("服务家庭农场数量"), "count", False, (), 10,
           _l("上一年度服务的家庭农场数，不填按0计。")),
    Column("served_others", _l("服务其他主体数量"), "count", False, (), 10,
           _l("上一年度服务的其他主体数，不填按0计。")),
)  # fmt: skip

COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# Columns that describe an appointment made before the registry existed.
APPOINTMENT_KEYS = (
    "appointed_on",
    "term_starts_on",
    "term_ends_on",
    "certificate_number",
)

_BRACKETED_TAIL = re.compile(r"\([^()]*\)$")
_SPACES = re.compile(r"\s+")


def header_key(text):
    """Return the comparable form of a header cell's text."""
    text = unicodedata.normalize("NFKC", str(text))
    text = _SPACES.sub("", text).strip("*:").lower()
    return text


def _bare_key(key):
    return _BRACKETED_TAIL.sub("", key)


def header_index():
    """Return a dict from comparable header text to column, aliases included.

    Built on each call: headers are translated strings, resolved in the
    current locale.
    """
    index = {}
    for column in COLUMNS:
        for text in (column.header, *column.aliases):
            index[header_key(text)] = column
    return index


def match_header(text, index):
    """Return the column whose header ``text`` names, or ``None``."""
    if text is None:
        return None
    key = header_key(text)
    if not key:
        return None
    return index.get(key) or index.get(_bare_key(key))


def required_columns():
    """Return the columns a file must contain."""
    return [column for column in COLUMNS if column.required]
