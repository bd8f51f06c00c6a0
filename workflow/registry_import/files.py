"""Recognising an uploaded file and refusing the ones that must not be opened.

Checks run on the raw bytes before any spreadsheet library parses them:
the size limit, the file's real type (by its first bytes, whatever its
name), password protection, and for .xlsx packages the unpacked size
and row count of every worksheet. The unpacked XML is streamed through the
decompressor in chunks and counted, never held, so a zip bomb or a sheet of
200,000 rows is refused after reading at most the configured number of
bytes.
"""

import codecs
import posixpath
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l

XLSX, XLS, CSV = "xlsx", "xls", "csv"
ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Encrypted Office files are OLE containers with these stream names.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
XLS_WORKBOOK_STREAM = "Workbook".encode("utf-16-le")
# A BIFF8 BOF record of a workbook globals substream (16 bytes of data
# follow its 4-byte header), and the id of the FILEPASS record.
BIFF8_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
FILEPASS_RECORD = b"\x2f\x00"
CHUNK_BYTES = 1 << 20
# Worksheet XML compresses about 5 to 30 times. A member that unpacks to
# more than this many times its packed size is treated as a zip bomb.
MAX_COMPRESSION_RATIO = 200
# Rows allowed above the data: the header and a few title rows.
HEADER_ALLOWANCE = 10
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class FileRejected(Exception):
    """The file as a whole cannot be imported; ``user_message`` gives the reason."""

    def __init__(self, detail, user_message):
        super().__init__(detail)
        self.user_message = user_message


@dataclass(frozen=True)
class Limits:
    """Upload limits, read from the ``IMPORT_*`` settings."""

    max_file_bytes: int
    max_rows: int
    max_unpacked_bytes: int

    @classmethod
    def from_config(cls, config):
        return cls(
            max_file_bytes=config["IMPORT_MAX_FILE_BYTES"],
            max_rows=config["IMPORT_MAX_ROWS"],
            max_unpacked_bytes=config["IMPORT_MAX_UNPACKED_BYTES"],
        )


def detect_format(content, filename, limits):
    """Return ``xlsx``, ``xls`` or ``csv`` for ``content``, or raise.

    Raises ``FileRejected`` for a file over the size limit, a name without
    an accepted suffix, a password-protected workbook or bytes in none of
    the three formats.
    """
    check_size(len(content), limits)
    if not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise FileRejected(
            f"suffix of {filename!r} is not accepted",
            _l("只能上传 .xlsx、.xls 或 .csv 文件。"),
        )
    if not content:
        raise FileRejected("empty file", _l("文件是空的，请检查后重新上传。"))
    if content.startswith(ZIP_MAGIC):
        return XLSX
    if content.startswith(OLE_MAGIC):
        return _ole_format(content)
    if content.startswith(UTF16_BOMS):
        raise FileRejected(
            "UTF-16 text",
            _l("暂不支持 UTF-16 编码的文本文件，请另存为 .xlsx 或 UTF-8 编码的 CSV。"),
        )
    if b"\x00" in content[:8192]:
        raise FileRejected("binary content", NOT_A_SPREADSHEET)
    # An .xlsx file is a zip package, so text under that name is another file
    # renamed. Read as CSV, it would only report a missing header row.
    if filename.lower().endswith(".xlsx"):
        raise FileRejected(".xlsx name without a zip package", NOT_A_SPREADSHEET)
    return CSV


NOT_A_SPREADSHEET = _l(
    "该文件不是电子表格，请上传 .xlsx、.xls 或 .csv 文件（可先下载导入模板）。"
)
PASSWORD_PROTECTED = _l(
    "该工作簿设置了打开密码，系统无法读取。请在 Excel 或 WPS 中取消密码后另存，再上传。"
)
CORRUPT = _l(
    "文件已损坏或不完整，无法读取。请在 Excel 或 WPS 中打开确认无误后另存，再上传。"
)


def check_size(size, limits):
    """Raise ``FileRejected`` when ``size`` bytes exceed the upload limit."""
    if size > limits.max_file_bytes:
        raise FileRejected(
            f"{size} bytes is over the limit of {limits.max_file_bytes}",
            _l(
                "文件大小超过上限 %(limit)s MB，请拆分为多个文件分批导入。",
                limit=limits.max_file_bytes // (1 << 20),
            ),
        )


def _ole_format(content):
    # Excel and WPS save a password-protected .xlsx as an OLE container.
    # An .xls carries a Workbook stream (Book in Excel 5 files), and a
    # FILEPASS record right after its first BOF record means encryption.
    if ENCRYPTED_STREAM in content:
        raise FileRejected("encrypted OOXML package", PASSWORD_PROTECTED)
    bof = content.find(BIFF8_BOF)
    if bof >= 0 and content[bof + 20 : bof + 22] == FILEPASS_RECORD:
        raise FileRejected("xls with a FILEPASS record", PASSWORD_PROTECTED)
    if XLS_WORKBOOK_STREAM in content or "Book".encode("utf-16-le") in content:
        return XLS
    raise FileRejected("OLE file without a workbook stream", NOT_A_SPREADSHEET)


def check_xlsx_package(content, limits):
    """Inspect an .xlsx package without parsing it; return rows per sheet.

    Returns a dict from worksheet name to the number of ``<row>`` elements
    in its XML. Raises ``FileRejected`` for a damaged package, a zip bomb
    or a sheet with more rows than the limit allows.
    """
    try:
        package = zipfile.ZipFile(BytesIO(content))
    except zipfile.BadZipFile:
        raise FileRejected("not a zip archive", CORRUPT) from None
    with package:
        members = package.infolist()
        _check_declared_sizes(members, limits)
        sheet_paths = _sheet_paths(package)
        rows = {}
        unpacked = 0
        for member in members:
            counts_rows = member.filename in sheet_paths
            count, unpacked = _stream_member(
                package, member, unpacked, limits, counts_rows
            )
            if counts_rows:
                rows[sheet_paths[member.filename]] = count
    return rows


def _check_declared_sizes(members, limits):
    if any(member.flag_bits & 0x1 for member in members):
        raise FileRejected("zip members are encrypted", PASSWORD_PROTECTED)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise FileRejected("zip archive without xl/workbook.xml", NOT_A_SPREADSHEET)
    declared = sum(member.file_size for member in members)
    if declared > limits.max_unpacked_bytes:
        raise _bomb(f"declares {declared} unpacked bytes")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > CHUNK_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _bomb(f"{member.filename} unpacks {ratio:.0f} times its size")


def _bomb(detail):
    return FileRejected(
        detail,
        _l(
            "文件解压后的内容异常庞大，可能是压缩炸弹或已损坏，系统拒绝读取。"
            "请另存为普通的 .xlsx 文件后重新上传。"
        ),
    )


def _sheet_paths(package):
    # Map worksheet XML paths to sheet names through the workbook's
    # relationships; both files are small, and limited before parsing.
    try:
        workbook = ElementTree.fromstring(_read_small(package, "xl/workbook.xml"))
        rels = ElementTree.fromstring(
            _read_small(package, "xl/_rels/workbook.xml.rels")
        )
    except KeyError:
        return {}
    except ElementTree.ParseError as error:
        raise FileRejected(f"workbook XML: {error}", CORRUPT) from None
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_PACKAGE_REL_NS}Relationship")
    }
    paths = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        paths[path] = sheet.get("name")
    return paths


def _read_small(package, name, limit=4 * CHUNK_BYTES):
    member = package.getinfo(name)
    if member.file_size > limit:
        raise _bomb(f"{name} declares {member.file_size} bytes")
    try:
        with package.open(member) as stream:
            return stream.read(limit + 1)[:limit]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FileRejected(f"{name}: {error}", CORRUPT) from None


def _stream_member(package, member, unpacked, limits, counts_rows):
    rows = 0
    tail = b""
    try:
        with package.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_bytes:
                    raise _bomb(f"unpacks to more than {limits.max_unpacked_bytes}")
                if counts_rows:
                    # Keep the end of the previous chunk so a tag split
                    # across two chunks is still counted once.
                    window = tail + chunk
                    rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
                    tail = window[-16:]
                    _check_rows(rows, limits)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise FileRejected(f"{member.filename}: {error}", CORRUPT) from None
    return rows, unpacked


def _check_rows(rows, limits):
    if rows > limits.max_rows + HEADER_ALLOWANCE:
        raise too_many_rows(rows, limits)


def too_many_rows(rows, limits):
    """Return the error for a sheet with more data rows than allowed."""
    return FileRejected(
        f"more than {rows} rows, limit {limits.max_rows}",
        _l(
            "工作表行数超过单次导入上限 %(limit)s 行，请拆分为多个文件分批导入。",
            limit=limits.max_rows,
        ),
    )


def csv_encoding(content):
    """Return the codec that decodes ``content``: UTF-8 or GB18030.

    GB18030 is a superset of GBK and GB2312, the encodings Excel and WPS
    use for CSV on Chinese Windows. Raises ``FileRejected`` when neither
    decodes the whole file.
    """
    if content.startswith(UTF8_BOM):
        return "utf-8-sig" if _decodes(content, "utf-8") else _undecodable()
    for encoding in ("utf-8", "gb18030"):
        if _decodes(content, encoding):
            return encoding
    return _undecodable()


def _decodes(content, encoding):
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(content), CHUNK_BYTES):
            decoder.decode(content[start : start + CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _undecodable():
    raise FileRejected(
        "neither UTF-8 nor GB18030",
        _l("无法识别 CSV 文件的文字编码，请另存为 UTF-8 或 GBK 编码后重新上传。"),
    )
