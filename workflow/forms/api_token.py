"""The form that creates an API token."""

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from workflow.api_tokens import GRANTABLE_ROLES, TokenValues
from workflow.forms.counselor import CheckboxesField
from workflow.roles import Role


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ApiTokenForm(FlaskForm):
    """Name, department, roles and optional last day of a new token."""

    name = StringField(
        _l("令牌名称"),
        filters=[_strip],
        validators=[InputRequired(_l("请填写令牌名称。")), Length(max=60)],
        description=_l("说明用途，如“省级平台同步”。审计日志以此名称显示操作人。"),
    )
    department_id = SelectField(
        _l("所属部门"),
        coerce=int,
        validators=[InputRequired(_l("请选择所属部门。"))],
    )
    roles = CheckboxesField(
        _l("角色"),
        choices=[SelectChoice(role.value, role.label) for role in GRANTABLE_ROLES],
        validators=[InputRequired(_l("请至少选择一个角色。"))],
    )
    expires_on = DateField(
        _l("有效期至（含当日，可不填）"),
        validators=[Optional()],
        description=_l("不填则长期有效，直至吊销。"),
    )

    def set_departments(self, departments):
        """Offer ``departments`` as (id, name) pairs."""
        self.department_id.choices = [SelectChoice(i, name) for i, name in departments]

    def values(self):
        """Return the cleaned values as ``TokenValues``."""
        expires_at = None
        if self.expires_on.data is not None:
            # Valid through the whole of the last day.
            expires_at = datetime.combine(
                self.expires_on.data + timedelta(days=1), time.min
            )
        return TokenValues(
            name=self.name.data,
            department_id=self.department_id.data,
            roles=frozenset(Role(value) for value in self.roles.data),
            expires_at=expires_at,
        )
