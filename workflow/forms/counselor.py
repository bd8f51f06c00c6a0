"""Forms of the counselor workflow: nomination, review decision, other steps."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from workflow import clock
from workflow.counselor_rules import (
    MAX_LENGTHS,
    check_email,
    check_identity,
    check_mobile,
    check_name,
    normalize_id_number,
)
from workflow.errors import DomainValidationError
from workflow.vocabulary import (
    EDUCATION_LEVELS,
    ENTRY_MODES,
    ETHNIC_GROUPS,
    GENDERS,
    INDUSTRIES,
    POLITICAL_STATUSES,
    SOURCES,
    WORK_AREAS,
    WORKING_MODES,
)

REQUIRED = _l("此项为必填项。")
_COUNT_RANGE = NumberRange(
    min=0, max=100000, message=_l("数量应为0至100000之间的整数。")
)


def count_in_range(form, field):
    """Check a served-entity count, unless it already failed to parse."""
    # A value that is not a number already has IntegerField's message; a
    # second one about the range would only repeat it.
    if field.process_errors:
        return
    _COUNT_RANGE(form, field)


def _choices(values):
    return [SelectChoice(value) for value in values]


def _select(label, values):
    return SelectField(
        label,
        choices=[SelectChoice("", _l("请选择"))] + _choices(values),
        validators=[InputRequired(REQUIRED)],
    )


class CheckboxesField(SelectMultipleField):
    """A multi-select shown as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        # WTForms 3.3 has no Chinese translation of its "not a valid choice"
        # message for multiple selections.
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("请只选择列出的选项。")) from None


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NominationForm(FlaskForm):
    """The registry fields a department enters for a nominated counselor."""

    name = StringField(
        _l("姓名"), filters=[_strip], validators=[InputRequired(REQUIRED)]
    )
    gender = _select(_l("性别"), GENDERS)
    id_number = StringField(
        _l("身份证号"),
        filters=[normalize_id_number],
        validators=[InputRequired(REQUIRED)],
    )
    ethnicity = _select(_l("民族"), ETHNIC_GROUPS)
    political_status = _select(_l("政治面貌"), POLITICAL_STATUSES)
    education = _select(_l("学历"), EDUCATION_LEVELS)
    professional_title = StringField(
        _l("专业技术职称"),
        filters=[_strip],
        validators=[Optional(), Length(max=MAX_LENGTHS["professional_title"])],
    )
    employer = StringField(
        _l("工作单位"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=MAX_LENGTHS["employer"])],
    )
    position = StringField(
        _l("职务"),
        filters=[_strip],
        validators=[Optional(), Length(max=MAX_LENGTHS["position"])],
    )
    mobile = StringField(
        _l("手机号码"), filters=[_strip], validators=[InputRequired(REQUIRED)]
    )
    email = StringField(
        _l("电子邮箱"),
        filters=[_strip],
        validators=[Optional(), Length(max=MAX_LENGTHS["email"])],
    )
    source = _select(_l("人员来源"), SOURCES)
    work_areas = CheckboxesField(
        _l("辅导员类型"),
        choices=_choices(WORK_AREAS),
        validators=[InputRequired(_l("请至少选择一项辅导员类型。"))],
    )
    industries = CheckboxesField(
        _l("产业领域"),
        choices=_choices(INDUSTRIES),
        validators=[InputRequired(_l("请至少选择一个产业领域。"))],
    )
    working_mode = _select(_l("工作模式"), WORKING_MODES)
    entry_mode = _select(_l("聘任方式"), ENTRY_MODES)
    service_area_codes = CheckboxesField(
        _l("服务区域"),
        choices=[],
        validators=[InputRequired(_l("请至少选择一个服务区域。"))],
    )
    served_cooperatives = IntegerField(
        _l("服务合作社数量"), default=0, validators=[Optional(), count_in_range]
    )
    served_family_farms = IntegerField(
        _l("服务家庭农场数量"), default=0, validators=[Optional(), count_in_range]
    )
    served_others = IntegerField(
        _l("服务其他主体数量"), default=0, validators=[Optional(), count_in_range]
    )
    version = HiddenField()
    save = SubmitField(_l("保存"))
    submit_nomination = SubmitField(_l("提交推荐"))

    def validate_name(self, field):
        _raise_as_field_error(check_name, field.data)

    def validate_id_number(self, field):
        _raise_as_field_error(check_identity, field.data, None, clock.now().date())

    def validate_gender(self, field):
        if field.errors or not self.id_number.data or self.id_number.errors:
            return
        try:
            check_identity(self.id_number.data, field.data, clock.now().date())
        except DomainValidationError as error:
            if error.field == "gender":
                raise ValidationError(error.user_message) from None

    def validate_mobile(self, field):
        _raise_as_field_error(check_mobile, field.data)

    def validate_email(self, field):
        if field.data:
            _raise_as_field_error(check_email, field.data)

    def values(self):
        """Return the cleaned values keyed by counselor field name."""
        values = {name: self[name].data for name in FIELD_NAMES}
        for name in ("served_cooperatives", "served_family_farms", "served_others"):
            values[name] = values[name] or 0
        for name in ("professional_title", "position", "email"):
            values[name] = values[name] or None
        return values


FIELD_NAMES = (
    "name", "gender", "id_number", "ethnicity", "political_status",
    "education", "professional_title", "employer", "position", "mobile",
    "email", "source", "work_areas", "industries", "working_mode",
    "entry_mode", "service_area_codes", "served_cooperatives",
    "served_family_farms", "served_others",
)  # fmt: skip


def _raise_as_field_error(check, *args):
    try:
        check(*args)
    except DomainValidationError as error:
        raise ValidationError(error.user_message) from None


class ReviewDecisionForm(FlaskForm):
    """A reviewer's decision on a record under review."""

    decision = RadioField(
        _l("审核意见"),
        choices=[
            SelectChoice("approve", _l("通过，开始公示")),
            SelectChoice("return_for_revision", _l("退回修改")),
            SelectChoice("reject", _l("不予通过")),
        ],
        validators=[InputRequired(_l("请选择审核意见。"))],
    )
    reason = TextAreaField(_l("理由"), filters=[_strip], validators=[Length(max=2000)])
    version = HiddenField(validators=[InputRequired()])

    def validate_reason(self, field):
        if self.decision.data in ("return_for_revision", "reject") and not field.data:
            raise ValidationError(_l("退回修改或不予通过时必须填写理由。"))


class StepForm(FlaskForm):
    """Any other step: the trigger, an optional comment and the version seen."""

    trigger = HiddenField(validators=[InputRequired()])
    comment = TextAreaField(_l("说明"), filters=[_strip], validators=[Length(max=2000)])
    version = HiddenField(validators=[InputRequired()])
