"""The purpose an export must state."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class ExportForm(FlaskForm):
    """Why the user needs the file; kept in the security log."""

    purpose = TextAreaField(
        _l("导出用途"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("请说明导出用途。")),
            Length(min=4, max=200, message=_l("导出用途应为4至200个字。")),
        ],
    )
    # Pressed instead of the CSV button: the import template's workbook,
    # which carries full ID numbers so that it can be edited and imported.
    workbook = SubmitField(_l("导出为导入模板（Excel）"))
