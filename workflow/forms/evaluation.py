"""Forms of the evaluation round: opening, self-assessment, scoring."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, FormField, HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

SCORE_RANGE = NumberRange(min=0, max=100, message=_l("应为0至100的整数。"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OpenRoundForm(FlaskForm):
    """The year a department evaluates."""

    year = IntegerField(
        _l("评价年度"), validators=[InputRequired(_l("请填写评价年度。"))]
    )


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
