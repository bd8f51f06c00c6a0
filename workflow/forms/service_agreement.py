"""Forms of service agreements and the service records under them."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from workflow.center_vocabulary import ENTITY_TYPES, SATISFACTION_LEVELS
from workflow.credit_code import normalize_credit_code
from workflow.service_agreements import AGREEMENT_FIELDS, RECORD_FIELDS
from workflow.vocabulary import WORK_AREAS

REQUIRED = _l("此项为必填项。")
DATE_REQUIRED = _l("请填写有效日期，格式如 2026-03-01。")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _terms(label):
    return TextAreaField(
        label, filters=[_strip], validators=[InputRequired(REQUIRED), Length(max=5000)]
    )


def _choices(values):
    return [SelectChoice("", _l("请选择"))] + [SelectChoice(v) for v in values]


class AgreementForm(FlaskForm):
    """The terms of one agreement and its signed scan."""

    entity_name = StringField(
        _l("服务对象名称"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(min=2, max=100)],
    )
    entity_type = SelectField(
        _l("服务对象类型"),
        choices=_choices(ENTITY_TYPES),
        validators=[InputRequired(REQUIRED)],
    )
    entity_credit_code = StringField(
        _l("服务对象统一社会信用代码"),
        filters=[normalize_credit_code],
        validators=[Optional()],
    )
    service_items = _terms(_l("服务事项"))
    service_manner = _terms(_l("服务方式"))
    quality_standard = _terms(_l("服务质量标准"))
    acceptance_terms = _terms(_l("验收与考核"))
    breach_liability = _terms(_l("违约责任"))
    period_starts_on = DateField(
        _l("服务期限自"), validators=[InputRequired(DATE_REQUIRED)]
    )
    period_ends_on = DateField(_l("至"), validators=[InputRequired(DATE_REQUIRED)])
    fee = DecimalField(
        _l("服务费用（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写服务费用，免费服务填0。")),
            NumberRange(min=0, message=_l("服务费用不能为负数。")),
        ],
    )
    signed_on = DateField(_l("签订日期"), validators=[InputRequired(DATE_REQUIRED)])
    scan = FileField(
        _l("协议扫描件（PDF、JPG 或 PNG）"),
        validators=[FileRequired(_l("请上传签订后的协议扫描件。"))],
    )

    def values(self):
        """Return the cleaned values keyed as ``create_agreement`` expects."""
        values = {name: self[name].data for name in AGREEMENT_FIELDS}
        values["entity_credit_code"] = values["entity_credit_code"] or None
        return values


class ServiceRecordForm(FlaskForm):
    """One service given under an agreement."""

    served_on = DateField(_l("服务日期"), validators=[InputRequired(DATE_REQUIRED)])
    work_area = SelectField(
        _l("服务类型"),
        choices=_choices(WORK_AREAS),
        validators=[InputRequired(REQUIRED)],
    )
    performed_by = SelectField(
        _l("服务人员"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    content = _terms(_l("服务内容"))
    result = _terms(_l("服务结果"))
    satisfaction = IntegerField(
        _l("主体满意度（1-5）"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=min(SATISFACTION_LEVELS),
                max=max(SATISFACTION_LEVELS),
                message=_l("满意度应为1至5。"),
            ),
        ],
    )

    def offer_staff(self, center):
        """Offer the center's staff as the people who gave the service."""
        self.performed_by.choices = [SelectChoice("", _l("请选择"))] + [
            SelectChoice(member.name) for member in center.staff
        ]

    def values(self):
        """Return the cleaned values keyed as ``add_service_record`` expects."""
        return {name: self[name].data for name in RECORD_FIELDS}
