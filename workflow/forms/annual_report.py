"""Forms of the annual report: return, window extension, yearly figures."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ReturnReportForm(FlaskForm):
    """The parent department returns a submitted report with a reason."""

    reason = TextAreaField(
        _l("退回理由"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写退回理由。")), Length(max=2000)],
    )
    version = HiddenField(validators=[InputRequired()])


class WindowExtensionForm(FlaskForm):
    """A national administrator extends one department's reporting window."""

    closes_on = DateField(
        _l("延长至"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("请填写延长后的截止日期，格式如 2026-07-31。"))],
    )
    reason = StringField(
        _l("延期原因"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写延期原因。")), Length(max=500)],
    )


def _count_field(label):
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("请填写数量，没有请填 0。")),
            NumberRange(
                min=0, max=100_000, message=_l("请填写 0 到 100000 之间的整数。")
            ),
        ],
    )


class AnnualFiguresForm(FlaskForm):
    """Served-entity counts of one appointed counselor for the reported year."""

    served_cooperatives = _count_field(_l("服务合作社数"))
    served_family_farms = _count_field(_l("服务家庭农场数"))
    served_others = _count_field(_l("服务其他主体数"))
    version = HiddenField(validators=[InputRequired()])

    def values(self):
        """Return the three counts by field name."""
        return {
            "served_cooperatives": self.served_cooperatives.data,
            "served_family_farms": self.served_family_farms.data,
            "served_others": self.served_others.data,
        }
