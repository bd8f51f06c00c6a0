"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import InputRequired, Length


class SignInForm(FlaskForm):
    """User name and password of a department account."""

    username = StringField(
        _l("用户名"),
        validators=[InputRequired(_l("请输入用户名。")), Length(max=60)],
    )
    password = PasswordField(
        _l("密码"), validators=[InputRequired(_l("请输入密码。")), Length(max=200)]
    )
    remember = BooleanField(_l("记住我"))
