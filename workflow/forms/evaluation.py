"""Forms of the evaluation round: opening, deadline, self-assessment, scoring."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

SCORE_RANGE = NumberRange(min=0, max=100, message=_l("应为0至100的整数。"))
DEADLINE_REQUIRED = _l("请填写评价截止日期，格式如 2026-03-31。")


def _deadline_field():
    return DateField(
        _l("截止日期"), format="%Y-%m-%d", validators=[InputRequired(DEADLINE_REQUIRED)]
    )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OpenRoundForm(FlaskForm):
    """The year a department evaluates and the day to finish by."""

    year = IntegerField(
        _l("评价年度"), validators=[InputRequired(_l("请填写评价年度。"))]
    )
    deadline = _deadline_field()


class RoundDeadlineForm(FlaskForm):
    """A new deadline for a round still open."""

    deadline = _deadline_field()
    version = HiddenField(validators=[InputRequired()])


class SelfAssessmentForm(FlaskForm):
    """A counselor's summary of the year and an optional self-score."""

    self_assessment = TextAreaField(
        _l("年度工作自评"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写自评内容。")), Length(max=2000)],
    )
    self_score = IntegerField(_l("自评分"), validators=[Optional(), SCORE_RANGE])


def score_form_class(indicators):
    """Return a form class with one 0–100 field per ``(key, label)`` indicator."""

    class IndicatorScores(Form):
        pass

    for key, label in indicators:
        field = IntegerField(
            label,
            validators=[InputRequired(_l("请为每项指标评分。")), SCORE_RANGE],
        )
        setattr(IndicatorScores, key, field)

    class ScoreForm(FlaskForm):
        scores = FormField(IndicatorScores, separator="-")
        reason = TextAreaField(
            _l("调整理由"), filters=[_strip], validators=[Length(max=2000)]
        )
        counselor_id = HiddenField(validators=[InputRequired()])

    return ScoreForm
