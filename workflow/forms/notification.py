"""Forms of notifications: email preferences and delivery decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import InputRequired

from notifications.delivery_review import DELIVERED, RESEND
from notifications.kinds import optional_kinds


class EmailPreferencesForm(FlaskForm):
    """The optional kinds of message a user still wants by email."""

    wanted = SelectMultipleField(
        _l("接收以下邮件"),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validate_choice=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted.choices = [
            SelectChoice(kind.code, kind.label) for kind in optional_kinds()
        ]

    def opted_out(self):
        """Return the optional kinds left unticked."""
        wanted = set(self.wanted.data or ())
        return {kind.code for kind in optional_kinds()} - wanted


class DeliveryDecisionForm(FlaskForm):
    """An administrator's decision on an uncertain or failed email."""

    decision = RadioField(
        _l("处理方式"),
        choices=[
            SelectChoice(DELIVERED, _l("已确认收件人收到")),
            SelectChoice(RESEND, _l("重新发送")),
        ],
        validators=[InputRequired(_l("请选择处理方式。"))],
    )
