"""Forms of the department's decisions on service centers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from workflow.supervision import INDICATORS

SCORE_RANGE = NumberRange(min=0, max=100, message=_l("得分应为0至100之间的数字。"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CenterReviewForm(FlaskForm):
    """A reviewer's decision on an application under review."""

    decision = RadioField(
        _l("审核意见"),
        choices=[
            SelectChoice("file", _l("通过，予以备案")),
            SelectChoice("return_for_revision", _l("退回修改")),
            SelectChoice("reject", _l("不予备案")),
        ],
        validators=[InputRequired(_l("请选择审核意见。"))],
    )
    reason = TextAreaField(_l("理由"), filters=[_strip], validators=[Length(max=2000)])
    version = HiddenField(validators=[InputRequired()])

    def validate_reason(self, field):
        if self.decision.data in ("return_for_revision", "reject") and not field.data:
            raise ValidationError(_l("退回修改或不予备案时必须填写理由。"))


def _score(name):
    return DecimalField(
        INDICATORS[name],
        places=2,
        validators=[InputRequired(_l("请填写得分。")), SCORE_RANGE],
    )


class EvaluationForm(FlaskForm):
    """One year's supervision scores, a comment and a rectification deadline."""

    year = IntegerField(
        _l("评价年度"),
        validators=[
            InputRequired(_l("请填写评价年度。")),
            NumberRange(min=2000, max=2100, message=_l("年度不正确。")),
        ],
    )
    service_quality = _score("service_quality")
    management = _score("management")
    satisfaction = _score("satisfaction")
    comment = TextAreaField(
        _l("评价意见"), filters=[_strip], validators=[Length(max=2000)]
    )
    deadline = DateField(_l("整改期限"), validators=[Optional()])
    version = HiddenField(validators=[InputRequired()])

    def scores(self):
        """Return the three scores keyed by indicator."""
        return {name: self[name].data for name in INDICATORS}


class RectificationOrderForm(FlaskForm):
    """An order to rectify by a deadline, outside the yearly evaluation."""

    deadline = DateField(
        _l("整改期限"), validators=[InputRequired(_l("请填写整改期限。"))]
    )
    reason = TextAreaField(
        _l("整改事项和理由"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写整改事项和理由。")), Length(max=2000)],
    )
    version = HiddenField(validators=[InputRequired()])
