"""Turning spreadsheet cells into registry values, the way a user expects.

Full-width digits and letters become half-width, and spaces are trimmed
with runs of them collapsed. A lower-case x ending an ID number becomes X.
Dates may be date cells, Excel serial numbers, 2023-03-31, 2023/3/31,
2023.3.31, 20230331 or 2023年3月31日. A cell that cannot be read raises
``CellError`` with a Chinese sentence saying what to enter. Whether a
readable value is allowed is left to ``workflow.counselor_rules``.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

# Day 0 of Excel's 1900 date system (the 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)
MAX_EXCEL_SERIAL = 2_958_465
_SEPARATORS = re.compile(r"[、,，;；|\s]+")
_ISO_LIKE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)
_CODE_IN_BRACKETS = re.compile(r"^(.*)\((\d{6})\)$")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")

# Common short forms of the controlled terms, mapped to the stored term.
ALIASES = {
    "gender": {"男性": "男", "女性": "女"},
    "education": {
        "本科": "大学本科", "大本": "大学本科", "大专": "大学专科",
        "专科": "大学专科", "中专": "中专/高中", "高中": "中专/高中",
        "中专或高中": "中专/高中", "初中": "初中及以下", "小学": "初中及以下",
        "硕士": "研究生", "博士": "研究生", "硕士研究生": "研究生",
        "博士研究生": "研究生",
    },
    "political_status": {
        "党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员",
        "无党派": "无党派人士",
    },
}  # fmt: skip


class CellError(ValueError):
    """A cell's content cannot be read as its column's kind of value."""

    def __init__(self, detail, user_message):
        super().__init__(detail)
        self.user_message = user_message


def clean_text(cell):
    """Return the cell as trimmed half-width text, or ``None`` when empty."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = cell if isinstance(cell, str) else str(cell)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split())
    # The export puts an apostrophe before text that a spreadsheet would
    # take for a formula; take it off again.
    text = _FORMULA_GUARD.sub("", text)
    return text or None


def id_number(cell):
    """Return an ID number as text, refusing one stored as a number."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise _digits_lost(cell)
    text = clean_text(cell)
    if text is None:
        return None
    text = text.replace(" ", "").lstrip("'").upper()
    if _SCIENTIFIC.match(text):
        raise _digits_lost(text)
    return text


def _digits_lost(cell):
    return CellError(
        f"ID number stored as a number: {cell!r}",
        _l(
            "身份证号被保存成了数字，Excel 只保留15位有效数字，末尾几位已经丢失，"
            "无法还原。请把该列设置为“文本”格式后重新录入完整号码（勿直接改格式，"
            "已丢失的数字不会恢复）。"
        ),
    )


def mobile(cell):
    """Return a phone number as text; digits stored as a number are fine."""
    text = clean_text(cell)
    if text is None:
        return None
    return text.replace(" ", "").replace("-", "").lstrip("'")


def a_date(cell):
    """Return a ``date`` from any of the date forms users write."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _date_from_number(cell)
    text = clean_text(cell)
    if text is None:
        return None
    for pattern in (_ISO_LIKE, _CHINESE_DATE, _COMPACT_DATE):
        match = pattern.match(text)
        if match:
            return _calendar_date(*match.groups()[:3], text)
    if text.isdigit():
        return _date_from_number(int(text))
    raise _unreadable_date(text)


def _date_from_number(number):
    if 19000101 <= number <= 29991231 and float(number).is_integer():
        text = str(int(number))
        return _calendar_date(text[:4], text[4:6], text[6:], text)
    if 1 <= number <= MAX_EXCEL_SERIAL:
        return EXCEL_EPOCH + timedelta(days=int(number))
    raise _unreadable_date(number)


def _calendar_date(year, month, day, display):
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(
            f"{display!r} is not a calendar date",
            _l("日期不存在，请核对年、月、日。"),
        ) from None


def _unreadable_date(display):
    return CellError(
        f"{display!r} is not a date",
        _l("无法识别的日期，请写作 2023-03-31 这样的格式，或设置为日期格式的单元格。"),
    )


def choice(cell, key):
    """Return a controlled term, mapping common short forms to it."""
    text = clean_text(cell)
    if text is None:
        return None
    text = text.replace(" ", "")
    if key == "ethnicity" and not text.endswith("族"):
        # "汉" for "汉族": every one of the 56 names ends in 族.
        return text + "族"
    return ALIASES.get(key, {}).get(text, text)


def multiple(cell):
    """Return the terms of a multi-valued cell, split on 、 , ; or spaces."""
    text = clean_text(cell)
    if text is None:
        return []
    return list(dict.fromkeys(part for part in _SEPARATORS.split(text) if part))


def count(cell):
    """Return a number of served entities; leave other text for the rules."""
    if cell is None or cell == "":
        return 0
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, (int, float)):
        return cell
    text = clean_text(cell)
    if text is None:
        return 0
    return int(text) if text.isdigit() else text


def division_codes(cell, names):
    """Return the division codes a service-area cell names.

    Accepts six-digit codes, names unique among ``names`` (a dict from
    division name to its codes), and a name followed by its code in
    brackets as the export writes them.
    """
    codes = []
    for part in multiple(cell):
        match = _CODE_IN_BRACKETS.match(part)
        if match:
            codes.append(match.group(2))
        elif part.isdigit() and len(part) == 6:
            codes.append(part)
        else:
            codes.append(_code_for_name(part, names))
    return list(dict.fromkeys(codes))


def _code_for_name(name, names):
    found = names.get(name, ())
    if len(found) == 1:
        return found[0]
    if not found:
        raise CellError(
            f"no division named {name!r}",
            _l(
                "未找到名为“%(name)s”的区划，请填写本部门或下级区划的名称或6位代码。",
                name=name,
            ),
        )
    raise CellError(
        f"{name!r} names {len(found)} divisions",
        _l("有多个区划名为“%(name)s”，请改填6位区划代码。", name=name),
    )
