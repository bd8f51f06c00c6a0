"""Forms for a counselor's service records and training records."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from workflow.vocabulary import TRAINING_CATEGORIES, TRAINING_LEVELS, WORK_AREAS

REQUIRED = _l("此项为必填项。")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _select(label, values):
    return SelectField(
        label,
        choices=[SelectChoice("", _l("请选择"))] + [SelectChoice(v) for v in values],
        validators=[InputRequired(REQUIRED)],
    )


class ServiceRecordForm(FlaskForm):
    """One service given to one served entity."""

    entity = StringField(
        _l("服务主体"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写主体编号或统一社会信用代码。"))],
    )
    served_on = DateField(
        _l("服务日期"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("请填写日期，格式如 2026-03-02。"))],
    )
    work_area = _select(_l("服务类型"), WORK_AREAS)
    content = TextAreaField(
        _l("服务内容"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=2000)],
    )
    result = TextAreaField(
        _l("服务成效"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=2000)],
    )
    satisfaction = RadioField(
        _l("主体满意度"),
        choices=[SelectChoice(str(n), f"{n}") for n in range(1, 6)],
        validators=[InputRequired(_l("请选择1至5分。"))],
    )


class TrainingRecordForm(FlaskForm):
    """One course a counselor attended."""

    course = StringField(
        _l("课程名称"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=100)],
    )
    level = _select(_l("培训层级"), TRAINING_LEVELS)
    category = _select(_l("培训类别"), TRAINING_CATEGORIES)
    hours = DecimalField(
        _l("学时"), places=1, validators=[InputRequired(_l("请填写学时。"))]
    )
    trained_on = DateField(
        _l("培训日期"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("请填写日期，格式如 2026-03-02。"))],
    )
