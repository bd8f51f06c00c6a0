"""Forms of applicant self-registration and the confirmation email."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from workflow.counselor_rules import MOBILE_PATTERN
from workflow.credit_code import check_credit_code, normalize_credit_code
from workflow.errors import DomainValidationError

REQUIRED = _l("此项为必填项。")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _credit_code_field():
    return StringField(
        _l("统一社会信用代码"),
        filters=[normalize_credit_code],
        validators=[InputRequired(REQUIRED)],
    )


def _email_field():
    return StringField(
        _l("电子邮箱"),
        filters=[_strip],
        validators=[
            InputRequired(REQUIRED),
            Email(_l("电子邮箱格式不正确。")),
            Length(max=120),
        ],
    )


def validate_credit_code(form, field):
    """Show a GB 32100 failure of ``field`` next to it."""
    try:
        check_credit_code(field.data)
    except DomainValidationError as error:
        raise ValidationError(error.user_message) from None


class RegistrationForm(FlaskForm):
    """Registration details of an organisation opening its applicant account."""

    name = StringField(
        _l("单位名称"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(min=4, max=100)],
    )
    credit_code = _credit_code_field()
    county_code = SelectField(
        _l("所在区县"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    contact_person = StringField(
        _l("联系人"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(min=2, max=30)],
    )
    contact_phone = StringField(
        _l("联系人手机号码"), filters=[_strip], validators=[InputRequired(REQUIRED)]
    )
    email = _email_field()
    password = PasswordField(
        _l("登录密码"),
        validators=[
            InputRequired(REQUIRED),
            Length(min=10, max=200, message=_l("密码至少10位。")),
        ],
    )
    password_again = PasswordField(
        _l("再次输入密码"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo("password", _l("两次输入的密码不一致。")),
        ],
    )

    validate_credit_code = validate_credit_code

    def validate_contact_phone(self, field):
        if not MOBILE_PATTERN.match(field.data or ""):
            raise ValidationError(_l("手机号码应为以1开头的11位数字。"))

    def values(self):
        """Return the cleaned values keyed as ``register_organisation`` expects."""
        names = ("name", "credit_code", "county_code", "contact_person")
        values = {name: self[name].data for name in names}
        values.update(
            contact_phone=self.contact_phone.data,
            email=self.email.data,
            password=self.password.data,
        )
        return values


class ResendConfirmationForm(FlaskForm):
    """Credit code and email of a registration waiting for confirmation."""

    credit_code = _credit_code_field()
    email = _email_field()
