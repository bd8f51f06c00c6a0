"""Forms of account administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from workflow.accounts import AccountValues
from workflow.forms.counselor import CheckboxesField
from workflow.roles import Role


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AccountEditForm(FlaskForm):
    """Name, email, department and roles of an account."""

    display_name = StringField(
        _l("姓名"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写姓名。")), Length(max=60)],
    )
    email = StringField(
        _l("电子邮箱"),
        filters=[_strip],
        validators=[Optional(), Email(_l("电子邮箱格式不正确。")), Length(max=120)],
    )
    department_id = SelectField(
        _l("所属部门"),
        coerce=int,
        validators=[InputRequired(_l("请选择所属部门。"))],
    )
    roles = CheckboxesField(
        _l("角色"),
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[InputRequired(_l("请至少选择一个角色。"))],
    )

    def set_departments(self, departments):
        """Offer ``departments`` as (id, name) pairs."""
        self.department_id.choices = [SelectChoice(i, name) for i, name in departments]

    def values(self):
        """Return the cleaned values as ``AccountValues``."""
        return AccountValues(
            display_name=self.display_name.data,
            email=self.email.data or None,
            department_id=self.department_id.data,
            roles=frozenset(Role(value) for value in self.roles.data),
        )


class AccountCreateForm(AccountEditForm):
    """A new account: the edit fields plus its user name."""

    username = StringField(
        _l("用户名"),
        filters=[_strip],
        validators=[
            InputRequired(_l("请填写用户名。")),
            Regexp(
                r"^[A-Za-z0-9._-]{3,60}$",
                message=_l("用户名应为3至60位字母、数字、点、下划线或连字符。"),
            ),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
