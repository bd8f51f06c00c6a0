"""Forms for served entities: adding one and looking one up."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from workflow.models.entity import EntityKind

REQUIRED = _l("此项为必填项。")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EntityForm(FlaskForm):
    """A cooperative, union or family farm entered by hand."""

    kind = SelectField(
        _l("主体类型"),
        choices=[SelectChoice(kind.value, kind.label) for kind in EntityKind],
        validators=[InputRequired(REQUIRED)],
    )
    name = StringField(
        _l("主体名称"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=100)],
    )
    credit_code = StringField(
        _l("统一社会信用代码"), filters=[_strip], validators=[Optional()]
    )
    county_code = SelectField(
        _l("所在区县"), choices=[], validators=[InputRequired(REQUIRED)]
    )


class EntitySearchForm(FlaskForm):
    """A name or credit code, optionally within one county (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("名称或统一社会信用代码"), validators=[Optional(), Length(max=100)]
    )
    county = SelectField(_l("所在区县"), choices=[], validators=[Optional()])
