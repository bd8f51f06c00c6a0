"""Forms of the spreadsheet import: uploading a file and committing a batch."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class UploadForm(FlaskForm):
    """One .xlsx, .xls or .csv file to check."""

    spreadsheet = FileField(
        _l("选择文件"),
        validators=[
            FileRequired(_l("请选择要上传的文件。")),
            FileAllowed(
                ("xlsx", "xls", "csv"), _l("只能上传 .xlsx、.xls 或 .csv 文件。")
            ),
        ],
    )


class CommitForm(FlaskForm):
    """Confirmation that a checked batch should be written to the registry."""
