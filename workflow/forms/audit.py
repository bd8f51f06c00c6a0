"""The filter bar of the audit log (GET, no CSRF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from workflow.audit_log import AuditFilters


class AuditFilterForm(FlaskForm):
    """User, department, action and a date range."""

    class Meta:
        csrf = False

    user = StringField(_l("用户名或姓名"), validators=[Optional(), Length(max=60)])
    department = SelectField(_l("部门"), coerce=int, validators=[Optional()])
    action = SelectField(_l("操作"), validators=[Optional()])
    date_from = DateField(_l("日期自"), validators=[Optional()], format="%Y-%m-%d")
    date_to = DateField(_l("至"), validators=[Optional()], format="%Y-%m-%d")

    def set_choices(self, departments, actions):
        """Offer (id, name) ``departments`` and (action, label) ``actions``."""
        self.department.choices = [SelectChoice(0, _l("全部"))] + [
            SelectChoice(i, name) for i, name in departments
        ]
        self.action.choices = [SelectChoice("", _l("全部"))] + [
            SelectChoice(value, label) for value, label in actions
        ]

    def filters(self):
        """Return the valid criteria; fields that failed validation are ignored."""

        def valid(field):
            return field.data if field.data and not field.errors else None

        return AuditFilters(
            user=valid(self.user),
            department_id=valid(self.department),
            action=valid(self.action),
            date_from=valid(self.date_from),
            date_to=valid(self.date_to),
        )
