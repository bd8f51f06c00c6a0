"""Self-registration of applicant organisations and email confirmation."""

import logging

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from notifications.email import EmailNotSent, send_email
from web.counties import county_choices
from web.form_errors import show_domain_error
from workflow import applicants
from workflow.errors import DomainValidationError
from workflow.forms.applicant import RegistrationForm, ResendConfirmationForm

blueprint = Blueprint("applicants", __name__, url_prefix="/apply")
logger = logging.getLogger(__name__)


def _send_confirmation(organisation, token):
    link = url_for("applicants.confirm", token=token, _external=True)
    subject, body = applicants.confirmation_message(organisation, link)
    try:
        send_email(organisation.email, subject, body)
    except EmailNotSent:
        logger.warning(
            "confirmation email of organisation %s not sent", organisation.id
        )
        flash(
            _("确认邮件暂时无法发送，请稍后在“重新发送确认邮件”页面重试。"), "warning"
        )
        return False
    return True


@blueprint.route("/register", methods=["GET", "POST"])
def register():
    form = RegistrationForm()
    form.county_code.choices = county_choices()
    if form.validate_on_submit():
        try:
            organisation, token = applicants.register_organisation(form.values())
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            if _send_confirmation(organisation, token):
                message = _(
                    "注册成功，确认邮件已发送至 %(email)s，请打开邮件中的链接。",
                    email=organisation.email,
                )
                flash(message, "success")
            return redirect(url_for("auth.sign_in"), code=303)
    return render_template("applicants/register.html", form=form)


@blueprint.route("/confirm/<token>")
def confirm(token):
    try:
        organisation = applicants.confirm_email(token)
    except DomainValidationError as error:
        flash(str(error.user_message), "danger")
        return redirect(url_for("applicants.resend"))
    message = _(
        "邮箱已确认。请用统一社会信用代码 %(code)s 登录。",
        code=organisation.credit_code,
    )
    flash(message, "success")
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/resend", methods=["GET", "POST"])
def resend():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        renewed = applicants.renew_confirmation(form.credit_code.data, form.email.data)
        if renewed is None or _send_confirmation(*renewed):
            # The same message whether or not the pair matched, so the page
            # does not reveal which organisations have registered.
            flash(_("如果该单位已注册且尚未确认，确认邮件已重新发送，请查收。"), "info")
        return redirect(url_for("auth.sign_in"), code=303)
    return render_template("applicants/resend.html", form=form)
