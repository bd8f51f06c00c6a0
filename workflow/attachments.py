"""Uploaded files: type checked by content, stored outside the web root.

Only PDF, JPEG and PNG files are accepted. The type is read from the
file's first bytes (its magic number) and must agree with the extension,
so a renamed executable or web page is rejected whatever it is called.
Files are stored under a random name with the extension of the detected
type, in a folder per center below ``ATTACHMENT_FOLDER``. The name the
user gave is kept only for display and download.
"""

import hashlib
import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from workflow.errors import DomainValidationError

logger = logging.getLogger(__name__)

# Detected extension → content type served on download.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}
EXTENSION_ALIASES = {"jpeg": "jpg", "jpg": "jpg", "pdf": "pdf", "png": "png"}
# A PDF ends with an end-of-file marker; writers may add a little after it.
PDF_TRAILER_WINDOW = 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, ready to be stored."""

    original_name: str
    content: bytes
    extension: str
    content_type: str

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


def check_upload(filename, stream, field="file"):
    """Read an upload and return it as a ``CheckedFile``.

    Raises ``DomainValidationError`` for ``field`` when the file is
    empty, too large, of a type not allowed, or not what its extension claims.
    """
    original_name = clean_file_name(filename)
    claimed = EXTENSION_ALIASES.get(original_name.rpartition(".")[2].lower())
    if not original_name or claimed is None:
        raise _rejected(
            field,
            f"extension of {original_name!r} not allowed",
            _l("只能上传 PDF、JPG 或 PNG 格式的文件。"),
        )
    max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
    content = stream.read(max_bytes + 1)
    if not content:
        raise _rejected(field, "empty upload", _l("上传的文件是空的。"))
    if len(content) > max_bytes:
        raise _rejected(
            field,
            f"upload larger than {max_bytes} bytes",
            _l("文件不能超过 %(mb)s MB。", mb=max_bytes // (1024 * 1024)),
        )
    detected = _detected_extension(content)
    if detected != claimed:
        raise _rejected(
            field,
            f"{original_name!r} claims {claimed} but its content is {detected}",
            _l(
                "文件内容与扩展名不符：扩展名为 .%(ext)s，但文件内容不是该格式。",
                ext=claimed,
            ),
        )
    if detected == "pdf" and b"%%EOF" not in content[-PDF_TRAILER_WINDOW:]:
        raise _rejected(
            field,
            "PDF without %%EOF trailer",
            _l("PDF 文件不完整或已损坏，请重新导出后上传。"),
        )
    return CheckedFile(original_name, content, detected, ALLOWED_TYPES[detected])


def _detected_extension(content):
    kind = filetype.guess(content)
    return kind.extension if kind is not None else None


def _rejected(field, detail, message):
    return DomainValidationError(field, detail, message)


def clean_file_name(filename):
    """Return the last path part of ``filename`` without control characters."""
    name = (filename or "").replace("\\", "/").rpartition("/")[2]
    name = "".join(
        char for char in name if unicodedata.category(char)[0] != "C"
    ).strip()
    if len(name) > 120:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 119 - len(extension)] + dot + extension
    return name


def attachment_folder():
    """Return the folder that contains every center's uploaded files."""
    configured = current_app.config.get("ATTACHMENT_FOLDER")
    if configured:
        return Path(configured)
    return Path(current_app.instance_path) / "attachments"


def write_file(center_id, checked):
    """Store ``checked`` under a new random name and return that name."""
    stored_name = f"{secrets.token_hex(16)}.{checked.extension}"
    folder = attachment_folder() / str(center_id)
    folder.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name first so a half-written file never
    # carries a name that a database row points to.
    partial = folder / f"{stored_name}.part"
    partial.write_bytes(checked.content)
    os.replace(partial, folder / stored_name)
    return stored_name


def file_path(attachment):
    """Return where the bytes of ``attachment`` are stored."""
    return attachment_folder() / str(attachment.center_id) / attachment.stored_name


def remove_file(center_id, stored_name):
    """Delete a stored file; a file already gone is logged, not raised."""
    path = attachment_folder() / str(center_id) / stored_name
    try:
        path.unlink()
    except FileNotFoundError:
        logger.warning(
            "attachment file %s of center %s was already gone", stored_name, center_id
        )
