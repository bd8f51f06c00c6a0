"""Sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length


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


class PasswordChangeForm(FlaskForm):
    """The current password and a new one typed twice."""

    current_password = PasswordField(
        _l("当前密码"),
        validators=[InputRequired(_l("请输入当前密码。")), Length(max=200)],
    )
    new_password = PasswordField(
        _l("新密码"),
        validators=[InputRequired(_l("请输入新密码。")), Length(max=200)],
    )
    confirm_password = PasswordField(
        _l("再次输入新密码"),
        validators=[
            InputRequired(_l("请再次输入新密码。")),
            EqualTo("new_password", _l("两次输入的新密码不一致。")),
        ],
    )
