"""Forms of the queue's bulk actions: claim, release, steps, reassignment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired


class BulkActionForm(FlaskForm):
    """The selected items ("id:version") and what to do with them."""

    items = SelectMultipleField(
        validate_choice=False,
        validators=[InputRequired(_l("请至少选择一条记录。"))],
    )
    # The value of the button pressed. A StringField, not a HiddenField,
    # so that hidden_tag() does not render an empty input that wins over it.
    action = StringField(validators=[InputRequired(_l("请选择要执行的操作。"))])


class ReassignForm(FlaskForm):
    """The selected items and the colleague who takes them over."""

    items = SelectMultipleField(
        validate_choice=False,
        validators=[InputRequired(_l("请至少选择一条记录。"))],
    )
    assignee_id = SelectField(
        _l("改派给"),
        coerce=int,
        validators=[InputRequired(_l("请选择改派对象。"))],
    )
