"""Forms of the service-center application: the application, files, prices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from workflow import clock
from workflow.center_entry_checks import ATTACHMENT_KINDS
from workflow.center_prices import parse_price_list
from workflow.center_vocabulary import (
    CO_BUILDING_MODES,
    ESTABLISHMENTS,
    ORGANISATION_TYPES,
)
from workflow.errors import DomainValidationError
from workflow.service_centers import FIELDS
from workflow.vocabulary import WORK_AREAS

REQUIRED = _l("此项为必填项。")
# Blank rows offered below the filled ones, since the pages run no script
# that could add rows.
BLANK_ROWS = 2


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _select(label, values):
    return SelectField(
        label,
        choices=[SelectChoice("", _l("请选择"))] + [SelectChoice(v) for v in values],
        validators=[InputRequired(REQUIRED)],
    )


def _rules_text(label):
    return TextAreaField(
        label,
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
    )


class ServiceRow(Form):
    """One service offered: a work area and what the center does in it."""

    work_area = SelectField(
        _l("工作领域"),
        choices=[SelectChoice("", "")] + [SelectChoice(a) for a in WORK_AREAS],
        validators=[Optional()],
    )
    details = StringField(
        _l("服务内容"), filters=[_strip], validators=[Length(max=500)]
    )


class StaffRow(Form):
    """One staff member; ``counselor_id`` links a registered counselor."""

    name = StringField(_l("姓名"), filters=[_strip], validators=[Length(max=30)])
    post = StringField(_l("岗位"), filters=[_strip], validators=[Length(max=60)])
    counselor_id = SelectField(
        _l("名录库中的辅导员"), choices=[], validate_choice=False
    )


class PriceRow(Form):
    """One price: service item, unit and price in yuan, as typed."""

    item = StringField(_l("服务项目"), filters=[_strip], validators=[Length(max=100)])
    unit = StringField(_l("计价单位"), filters=[_strip], validators=[Length(max=20)])
    price = StringField(_l("价格（元）"), filters=[_strip])


def _list_error(message):
    # A row list's errors also hold one dict per row; its own messages are
    # made plain strings so templates can tell the two apart.
    return ValidationError(str(message))


def _row_error(section, number, message):
    return _list_error(
        _l("%(section)s第 %(number)s 行：%(message)s",
           section=section, number=number, message=message)
    )  # fmt: skip


def filled_rows(entries, names):
    """Return ``(line number, values)`` of the entries with any field filled."""
    rows = []
    for number, entry in enumerate(entries, start=1):
        values = tuple(entry[name].data or "" for name in names)
        if any(values):
            rows.append((number, values))
    return rows


class PriceListFields:
    """The price-list rows shared by the application and the price update."""

    prices = FieldList(FormField(PriceRow), min_entries=3)

    def validate_prices(self, field):
        rows = [v for _, v in filled_rows(field.entries, ("item", "unit", "price"))]
        try:
            self.price_rows = parse_price_list(rows)
        except DomainValidationError as error:
            raise _list_error(error.user_message) from None


class ApplicationForm(PriceListFields, FlaskForm):
    """The filing application an organisation fills in for its center."""

    name = StringField(
        _l("服务中心名称"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(min=4, max=100)],
    )
    organisation_type = _select(_l("申报主体类型"), ORGANISATION_TYPES)
    establishment = _select(_l("设立方式"), ESTABLISHMENTS)
    co_building_mode = _select(_l("共建模式"), CO_BUILDING_MODES)
    county_code = SelectField(
        _l("所在区县"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    address = StringField(
        _l("服务场所地址"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=200)],
    )
    service_phone = StringField(
        _l("服务电话"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(min=7, max=20)],
    )
    registered_on = DateField(
        _l("申报主体依法登记日期"),
        validators=[InputRequired(_l("请填写有效日期，格式如 2020-05-01。"))],
    )
    declares_no_violation = BooleanField(_l("承诺近年无严重违法违规行为"))
    work_guide = _rules_text(_l("服务工作指南"))
    code_of_conduct = _rules_text(_l("服务行为规范"))
    price_disclosure = _rules_text(_l("价格公开制度"))
    record_keeping = _rules_text(_l("服务记录制度"))
    services = FieldList(FormField(ServiceRow), min_entries=3)
    staff = FieldList(FormField(StaffRow), min_entries=3)
    version = HiddenField()
    save = SubmitField(_l("保存"))

    def offer_counselors(self, counselors):
        """Offer ``counselors`` (name and type only) on every staff row.

        Call it after ``add_blank_rows`` so the new rows get the choices too.
        """
        choices = [SelectChoice("", _l("不是名录库辅导员"))] + [
            SelectChoice(str(c.id), f"{c.name}（{'、'.join(c.work_areas)}）")
            for c in counselors
        ]
        for entry in self.staff.entries:
            entry.counselor_id.choices = choices
        self._counselor_ids = {str(c.id) for c in counselors}

    def add_blank_rows(self):
        """Append blank rows below the filled ones on every row list."""
        for rows in (self.services, self.staff, self.prices):
            for _ in range(BLANK_ROWS):
                rows.append_entry()

    def validate_registered_on(self, field):
        if field.data and field.data > clock.now().date():
            raise ValidationError(_l("登记日期不能晚于今天。"))

    def validate_services(self, field):
        rows = filled_rows(field.entries, ("work_area", "details"))
        for number, (area, details) in rows:
            if not area or not details:
                raise _row_error(
                    _l("服务内容"), number, _l("请选择工作领域并填写服务内容。")
                )
        if not rows:
            raise _list_error(_l("请至少填写一项服务内容。"))

    def validate_staff(self, field):
        rows = filled_rows(field.entries, ("name", "post", "counselor_id"))
        for number, (name, post, counselor_id) in rows:
            if len(name) < 2 or not post:
                raise _row_error(
                    _l("工作人员"), number, _l("请填写姓名（至少2个字）和岗位。")
                )
            if counselor_id and counselor_id not in self._counselor_ids:
                raise _row_error(
                    _l("工作人员"), number, _l("所选辅导员不在本区县名录中。")
                )
        if not rows:
            raise _list_error(_l("请至少填写一名工作人员。"))

    def values(self):
        """Return the cleaned values keyed as the application services expect."""
        values = {name: self[name].data for name in FIELDS}
        values["declares_no_violation"] = bool(values["declares_no_violation"])
        values["services"] = [
            row for _, row in filled_rows(self.services, ("work_area", "details"))
        ]
        values["staff"] = [
            (name, post, int(counselor_id) if counselor_id else None)
            for _, (name, post, counselor_id) in filled_rows(
                self.staff, ("name", "post", "counselor_id")
            )
        ]
        values["prices"] = self.price_rows
        return values


class PriceListForm(PriceListFields, FlaskForm):
    """A filed center's new price list."""

    version = HiddenField(validators=[InputRequired()])

    def add_blank_rows(self):
        """Append blank rows below the filled ones."""
        for _ in range(BLANK_ROWS):
            self.prices.append_entry()


class AttachmentForm(FlaskForm):
    """One file for the application and what it proves."""

    kind = SelectField(
        _l("材料类型"),
        choices=[SelectChoice(k, label) for k, label in ATTACHMENT_KINDS.items()],
        validators=[InputRequired(REQUIRED)],
    )
    file = FileField(
        _l("文件（PDF、JPG 或 PNG）"),
        validators=[FileRequired(_l("请选择要上传的文件。"))],
    )
