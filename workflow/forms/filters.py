"""The filter bar of the queue and the registry list (GET, no CSRF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from workflow.queue import Filters
from workflow.states.counselor import CounselorState
from workflow.vocabulary import WORK_AREAS


class CounselorFilterForm(FlaskForm):
    """State, type, county, submission dates and a name or ID search."""

    class Meta:
        csrf = False

    state = SelectField(_l("状态"), validators=[Optional()])
    standing = SelectField(
        _l("在册情况"),
        choices=[
            SelectChoice("", _l("全部")),
            SelectChoice("serving", _l("在聘")),
            SelectChoice("left", _l("已离开（调出、主动退出）")),
            SelectChoice("struck_off", _l("已除名")),
        ],
        validators=[Optional()],
    )
    work_area = SelectField(
        _l("辅导员类型"),
        choices=[SelectChoice("", _l("全部"))] + [SelectChoice(a) for a in WORK_AREAS],
        validators=[Optional()],
    )
    county = SelectField(_l("区县"), choices=[], validators=[Optional()])
    submitted_from = DateField(
        _l("提交日期自"), validators=[Optional()], format="%Y-%m-%d"
    )
    submitted_to = DateField(_l("至"), validators=[Optional()], format="%Y-%m-%d")
    q = StringField(_l("姓名或身份证号"), validators=[Optional(), Length(max=30)])

    def set_choices(self, states, counties):
        """Offer ``states`` and ``counties`` (code, name) in the selects."""
        self.state.choices = [SelectChoice("", _l("全部"))] + [
            SelectChoice(state.value, state.label) for state in states
        ]
        self.county.choices = [SelectChoice("", _l("全部"))] + [
            SelectChoice(code, name) for code, name in counties
        ]

    def filters(self):
        """Return the valid criteria; fields that failed validation are ignored."""

        def valid(field):
            return field.data if field.data and not field.errors else None

        state = valid(self.state)
        return Filters(
            state=CounselorState(state) if state else None,
            standing=valid(self.standing),
            work_area=valid(self.work_area),
            county_code=valid(self.county),
            submitted_from=valid(self.submitted_from),
            submitted_to=valid(self.submitted_to),
            search=valid(self.q),
        )
