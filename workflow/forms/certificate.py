"""Forms around certificates: the batch print period and public verification.

Both are read-only GET forms, so they carry no CSRF token.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, ValidationError


class IssuePeriodForm(FlaskForm):
    """The first and last day of the period whose certificates to print."""

    class Meta:
        csrf = False

    issued_from = DateField(
        _l("发证日期自"),
        validators=[InputRequired(_l("请选择开始日期。"))],
        format="%Y-%m-%d",
    )
    issued_to = DateField(
        _l("至"),
        validators=[InputRequired(_l("请选择结束日期。"))],
        format="%Y-%m-%d",
    )

    def validate_issued_to(self, field):
        """Reject a period that ends before it starts."""
        start = self.issued_from.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("结束日期不能早于开始日期。"))


class VerificationForm(FlaskForm):
    """A certificate number typed by anyone who wants to check it."""

    class Meta:
        csrf = False

    number = StringField(
        _l("证书编号"),
        validators=[InputRequired(_l("请输入证书编号。")), Length(max=30)],
    )
