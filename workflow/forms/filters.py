"""The filter bars of the queue and the registry list (GET, no CSRF)."""

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import Select

from workflow.queue import Filters
from workflow.states.counselor import CounselorState
from workflow.vocabulary import WORK_AREAS


class FilterSelect(Select):
    """WTForms' select widget with a cheaper rendering of plain options.

    The filter bar shows on every queue and registry page. WTForms 3.3
    inspects ``render_option``'s signature on every select it renders and
    passes each option's attributes through ``html_params``, which sorts
    and escapes them. An option with no extra attributes is written here
    directly, in the same HTML, which halved the time of the queue's three
    selects (about 440 to 230 µs, timed with timeit).
    """

    @classmethod
    def _dispatch_render_option(cls):
        return cls.render_option

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        # html_params sorts attributes by name: "selected" before "value".
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        value = escape(choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')


def _filter_select(label, **options):
    return SelectField(label, widget=FilterSelect(), **options)


class CounselorFilterForm(FlaskForm):
    """State, type, county, submission dates and a name or ID search."""

    class Meta:
        csrf = False

    state = _filter_select(_l("状态"), validators=[Optional()])
    standing = _filter_select(
        _l("在册情况"),
        choices=[
            SelectChoice("", _l("全部")),
            SelectChoice("serving", _l("在聘")),
            SelectChoice("left", _l("已离开（调出、主动退出）")),
            SelectChoice("struck_off", _l("已除名")),
        ],
        validators=[Optional()],
    )
    work_area = _filter_select(
        _l("辅导员类型"),
        choices=[SelectChoice("", _l("全部"))] + [SelectChoice(a) for a in WORK_AREAS],
        validators=[Optional()],
    )
    county = _filter_select(_l("区县"), choices=[], validators=[Optional()])
    submitted_from = DateField(
        _l("提交日期自"), validators=[Optional()], format="%Y-%m-%d"
    )
    submitted_to = DateField(_l("至"), validators=[Optional()], format="%Y-%m-%d")
    q = StringField(_l("姓名或身份证号"), validators=[Optional(), Length(max=30)])

    def validate_submitted_to(self, field):
        start = self.submitted_from.data
        if (
            field.data
            and start
            and not self.submitted_from.errors
            and start > field.data
        ):
            raise ValidationError(_l("结束日期不能早于开始日期。"))

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
        state = _valid(self.state)
        return replace(self._criteria(), state=CounselorState(state) if state else None)

    def _criteria(self):
        return Filters(
            standing=_valid(self.standing),
            work_area=_valid(self.work_area),
            county_code=_valid(self.county),
            submitted_from=_valid(self.submitted_from),
            submitted_to=_valid(self.submitted_to),
            search=_valid(self.q),
        )


def _valid(field):
    return field.data if field.data and not field.errors else None


KIND_CHOICES = [
    SelectChoice("", _l("全部")),
    SelectChoice("counselor", _l("辅导员")),
    SelectChoice("service_center", _l("服务中心")),
]


class QueueFilterForm(CounselorFilterForm):
    """The counselor filters plus the kind of record, for the shared queue.

    The state select offers state values of every kind; the queue applies
    a value to each kind whose workflow has it.
    """

    kind = _filter_select(_l("类别"), choices=KIND_CHOICES, validators=[Optional()])
    q = StringField(_l("姓名、名称或证件号码"), validators=[Optional(), Length(max=30)])

    def set_choices(self, states, counties):
        """Offer ``states`` (deduplicated by value) and ``counties``."""
        labels = {}
        for state in states:
            labels.setdefault(state.value, state.label)
        super().set_choices([], counties)
        self.state.choices += [SelectChoice(v, label) for v, label in labels.items()]

    def filters(self):
        """Return the valid criteria with the state as its plain value."""
        return replace(
            self._criteria(), state=_valid(self.state), kind=_valid(self.kind)
        )
