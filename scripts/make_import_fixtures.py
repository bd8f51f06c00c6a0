"""Write the spreadsheets the import tests read, with LibreOffice Calc.

Run with Debian's python3, which has the UNO bridge of LibreOffice
(packages libreoffice-calc-nogui and python3-uno), after ``make
install-dev``, which puts msoffcrypto-tool in the project's .venv:

    /usr/bin/python3 scripts/make_import_fixtures.py

Each workbook is described here as rows of typed cells, written as a flat
OpenDocument file and then saved by a headless LibreOffice as .xlsx, .xls
or CSV, so the bytes the tests read come from a real spreadsheet program.
The generated files are committed under tests/fixtures/registry, so the
test suite and CI do not need LibreOffice.
"""

import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import uno
from com.sun.star.beans import PropertyValue

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "fixtures" / "registry"
ENCRYPT_TOOL = ROOT / ".venv" / "bin" / "msoffcrypto-tool"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CSV_FILTER = "Text - txt - csv (StarCalc)"
# LibreOffice's codes for the CSV character set: 76 is UTF-8, 85 GB18030.
UTF8, GB18030 = "76", "85"


class Number(float):
    """A cell LibreOffice stores as a number, whatever it looks like."""


def id_number(county, birth, serial, check_x=False):
    """Return a valid ID number; with ``check_x`` one ending in X."""
    while True:
        first17 = f"{county}{birth:%Y%m%d}{serial:03d}"
        total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
        check = "10X98765432"[total % 11]
        if check == "X" or not check_x:
            return first17 + check
        serial += 1


def full_width(text):
    """Return ``text`` with ASCII digits and letters in full-width forms."""
    return "".join(
        chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c for c in text
    )


HEADERS = [
    "序号", " 姓 名 ", "性别", "身份证号\n（18位）", "出生日期", "民族", "政治面貌",
    "学历", "工作单位", "*手机号码", "电子邮箱", "人员来源", "辅导员类型", "产业领域",
    "工作模式", "聘任方式", "服务区域", "聘任日期", "聘期开始日期", "聘期结束日期",
    "证书编号", "服务合作社数量",
]  # fmt: skip

WOMAN = id_number("420525", date(1985, 3, 15), 2)
MAN = id_number("420525", date(1978, 6, 12), 1)
X_PERSON = id_number("420525", date(1990, 1, 5), 11, check_x=True)


def person(number, name, gender, identity, **cells):
    """Return one data row in HEADERS order with sensible defaults."""
    row = {
        "序号": number, " 姓 名 ": name, "性别": gender, "身份证号\n（18位）": identity,
        "民族": "汉族", "政治面貌": "群众", "学历": "大学本科",
        "工作单位": "远安县示范合作社", "*手机号码": "13900001111",
        "人员来源": "农技员", "辅导员类型": "组织建设、财务会计",
        "产业领域": "果茶", "工作模式": "兼职", "聘任方式": "聘任",
        "服务区域": "远安县", "服务合作社数量": 2,
    }  # fmt: skip
    row.update({HEADER_ALIASES.get(key, key): value for key, value in cells.items()})
    return [row.get(header) for header in HEADERS]


HEADER_ALIASES = {
    "name": " 姓 名 ", "id": "身份证号\n（18位）", "birth": "出生日期",
    "mobile": "*手机号码", "email": "电子邮箱", "appointed": "聘任日期",
    "term_start": "聘期开始日期", "term_end": "聘期结束日期",
    "certificate": "证书编号", "education": "学历", "ethnicity": "民族",
    "political": "政治面貌", "employer": "工作单位", "area": "服务区域",
    "tier": "聘任层级", "count": "服务合作社数量",
}  # fmt: skip

TITLE = [["远安县2025年度新型农业经营主体辅导员名录"], []]


def good_rows():
    """Rows that use every normalisation and import cleanly."""
    ids = [id_number("420525", date(1970 + i, 1 + i, 10 + i), 20 + i) for i in range(5)]
    return TITLE + [HEADERS] + [
        person(1, "张  桂兰", "女", full_width(WOMAN), mobile=Number(13900001111),
               appointed=date(2023, 3, 31), certificate="420525-2023-0007"),
        person(2, "李建国", "男", MAN, mobile="１３９００００２２２２",
               appointed="2023/3/31", certificate="420525-2023-0008"),
        person(3, "王秀英", _gender(ids[0]), ids[0], appointed="2023.3.31",
               term_start="2023.4.1", term_end="2026.3.31",
               certificate="420525-2023-0009"),
        person(4, "刘志强", _gender(ids[1]), ids[1], appointed="20230331",
               certificate="420525-2023-0010"),
        person(5, "陈海燕", _gender(ids[2]), ids[2], appointed="2023年3月31日",
               certificate="420525-2023-0011"),
        person(6, "杨德福", _gender(ids[3]), ids[3], appointed=Number(45016),
               certificate="420525-2023-0012"),
        person(7, "赵春梅", _gender(X_PERSON), X_PERSON.lower(), education="本科",
               ethnicity="土家", email=full_width("zhao") + "＠example.com",
               birth=date(1990, 1, 5), employer="　远安县  农技  推广中心　"),
        person(8, "黄文斌", _gender(ids[4]), ids[4], political="党员",
               area="420525", count="３"),
    ]  # fmt: skip


def _gender(identity):
    return "男" if int(identity[16]) % 2 else "女"


def error_rows():
    """Rows that each break one rule, with the row number noted."""
    ids = [id_number("420525", date(1960 + i, 2, 1 + i), 40 + i) for i in range(14)]
    bad_check = ids[2][:17] + ("0" if ids[2][17] != "0" else "1")
    return [HEADERS] + [
        # Excel keeps 15 significant digits of a number.
        person(1, "数字号", "女", Number(float(WOMAN[:15] + "000"))),  # row 2
        person(2, "重复甲", _gender(ids[0]), ids[0]),  # row 3
        person(3, "校验错", "男", bad_check),  # row 4
        person(4, "日期错", _gender(ids[3]), ids[3], appointed="2023-02-30",
               certificate="420525-2023-0101"),  # row 5
        person(5, "重复乙", _gender(ids[0]), ids[0]),  # row 6
        person(6, "日期乱", _gender(ids[4]), ids[4], appointed="去年三月",
               certificate="420525-2023-0102"),  # row 7
        person(7, "面貌错", _gender(ids[5]), ids[5], political="党外人士"),  # row 8
        person(8, "手机错", _gender(ids[6]), ids[6], mobile="1390000"),  # row 9
        person(9, "性别错", "女" if _gender(ids[7]) == "男" else "男", ids[7]),  # 10
        person(10, "生日错", _gender(ids[8]), ids[8],
               birth=date(1999, 9, 9)),  # row 11
        person(11, "缺日期", _gender(ids[9]), ids[9],
               certificate="420525-2023-0103"),  # row 12
        person(12, "区域错", _gender(ids[10]), ids[10], area="火星县"),  # row 13
        person(13, "单位空", _gender(ids[11]), ids[11], employer=None),  # row 14
        person(14, "数量错", _gender(ids[12]), ids[12], count="-3"),  # row 15
        person(15, "证书甲", _gender(ids[13]), ids[13], appointed="2023-03-31",
               certificate="420525-2023-0104"),  # row 16
        person(16, "证书乙", _gender(ids[1]), ids[1], appointed="2023-03-31",
               certificate="420525-2023-0104"),  # row 17
    ]  # fmt: skip


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="N1"><number:year number:style="long"/>
  <number:text>-</number:text><number:month number:style="long"/>
  <number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""


def fods(sheets):
    """Return a flat OpenDocument spreadsheet of ``{name: rows}``."""
    parts = [FODS_HEAD]
    for name, rows in sheets.items():
        parts.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            parts.append("<table:table-row>")
            parts.extend(_cell(value) for value in row)
            if not row:
                parts.append("<table:table-cell/>")
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document>")
    return "".join(parts)


def _cell(value):
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        iso = value.isoformat()
        return (
            f'<table:table-cell table:style-name="ce1" office:value-type="date" '
            f'office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        )
    if isinstance(value, (Number, int)) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    lines = "".join(
        f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n")
    )
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


class Calc:
    """A headless LibreOffice reached over a UNO pipe."""

    def __init__(self, workdir):
        self.workdir = workdir
        profile = (workdir / "profile").as_uri()
        self.process = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore",
             f"-env:UserInstallation={profile}",
             "--accept=pipe,name=fudao_fixtures;urp;"],
        )  # fmt: skip
        context = uno.getComponentContext()
        resolver = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", context
        )
        for _attempt in range(60):
            try:
                remote = resolver.resolve(
                    "uno:pipe,name=fudao_fixtures;urp;StarOffice.ComponentContext"
                )
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.5)
        else:
            raise RuntimeError("LibreOffice did not start within 30 seconds")
        self.desktop = remote.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", remote
        )

    def save(self, sheets, target, filter_name, options=None, password=None):
        """Save ``sheets`` to ``target`` with a LibreOffice export filter."""
        source = self.workdir / "source.fods"
        source.write_text(fods(sheets), encoding="utf-8")
        document = self.desktop.loadComponentFromURL(
            source.as_uri(), "_blank", 0, (_property("Hidden", True),)
        )
        properties = [_property("FilterName", filter_name)]
        if options:
            properties.append(_property("FilterOptions", options))
        if password:
            # LibreOffice 7.4 applies a password when saving .xls; its
            # OOXML filter refused every way we tried to pass one.
            properties.append(_property("Password", password))
        document.storeToURL(target.as_uri(), tuple(properties))
        document.close(True)

    def stop(self):
        """Quit LibreOffice."""
        try:
            self.desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge closes as it quits
            pass
        self.process.wait(timeout=30)


def write_zip_bomb(target):
    """Write an .xlsx-named zip whose sheet unpacks to 300 MB of spaces."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(300):
                sheet.write(block)


def encrypt_workbook(source, target, password):
    """Encrypt an .xlsx with a password to open, as Excel's "Encrypt with Password".

    LibreOffice 7.4 ignores a ``Password`` given to its OOXML export
    through UNO and fails with an I/O error on ``EncryptionData``, so
    msoffcrypto-tool wraps the workbook LibreOffice saved in the
    MS-OFFCRYPTO agile encryption Excel and WPS write: an OLE container
    with ``EncryptionInfo`` and ``EncryptedPackage`` streams.
    """
    command = [str(ENCRYPT_TOOL), "-e", "-p", password, str(source), str(target)]
    subprocess.run(command, check=True)


def main():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        calc = Calc(Path(workdir))
        try:
            good = {"辅导员名录": good_rows()}
            calc.save(good, OUTPUT / "good.xlsx", "Calc MS Excel 2007 XML")
            calc.save(good, OUTPUT / "good.xls", "MS Excel 97")
            calc.save(good, OUTPUT / "good-utf8.csv", CSV_FILTER, f"44,34,{UTF8}")
            calc.save(good, OUTPUT / "good-gbk.csv", CSV_FILTER, f"44,34,{GB18030}")
            errors = {"辅导员名录": error_rows()}
            calc.save(errors, OUTPUT / "errors.xlsx", "Calc MS Excel 2007 XML")
            calc.save({"Sheet1": []}, OUTPUT / "empty.xlsx", "Calc MS Excel 2007 XML")
            calc.save({"Sheet1": [HEADERS]}, OUTPUT / "header-only.xlsx",
                      "Calc MS Excel 2007 XML")  # fmt: skip
            calc.save(good, OUTPUT / "password.xls", "MS Excel 97",
                      password="fudao")  # fmt: skip
            calc.save(good, OUTPUT / "not-a-spreadsheet.xlsx", "calc_pdf_Export")
        finally:
            calc.stop()
    # Excel's "CSV UTF-8" starts with a byte-order mark; LibreOffice 7.4
    # writes none, so the BOM is added to its UTF-8 output.
    utf8 = (OUTPUT / "good-utf8.csv").read_bytes()
    (OUTPUT / "good-utf8-bom.csv").write_bytes(b"\xef\xbb\xbf" + utf8)
    good_xlsx = (OUTPUT / "good.xlsx").read_bytes()
    (OUTPUT / "corrupt.xlsx").write_bytes(good_xlsx[: len(good_xlsx) // 2])
    encrypt_workbook(OUTPUT / "good.xlsx", OUTPUT / "password.xlsx", "fudao")
    write_zip_bomb(OUTPUT / "zip-bomb.xlsx")
    for path in sorted(OUTPUT.iterdir()):
        print(f"{path.stat().st_size:>9}  {path.name}")


if __name__ == "__main__":
    sys.exit(main())
