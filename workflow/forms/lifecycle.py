"""Forms for the counselor's later life: strike-off and self-service account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from workflow.conduct import REASON_CODES


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StrikeOffForm(FlaskForm):
    """A conduct breach: reason code, explanation and evidence file."""

    reason_code = SelectField(
        _l("除名原因"),
        choices=[SelectChoice("", _l("请选择"))]
        + [SelectChoice(code, label) for code, label in REASON_CODES.items()],
        validators=[InputRequired(_l("请选择除名原因。"))],
    )
    comment = TextAreaField(
        _l("事实与处理意见"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写事实与处理意见。")), Length(max=2000)],
    )
    evidence = FileField(
        _l("证据材料"), validators=[FileRequired(_l("请上传证据材料。"))]
    )
    version = HiddenField(validators=[InputRequired()])


class AccountForm(FlaskForm):
    """The user name of a counselor's new self-service account."""

    username = StringField(
        _l("登录用户名"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写用户名。")), Length(max=60)],
    )
