"""The bell: notification list, opening one, email preferences, delivery."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from notifications import delivery_review, inbox
from notifications.kinds import KINDS, optional_kinds
from web.auth.access import roles_required
from workflow.errors import RecordNotFound, WorkflowError
from workflow.forms.notification import DeliveryDecisionForm, EmailPreferencesForm
from workflow.models.outbox import OutboxStatus
from workflow.roles import Role

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")


@blueprint.app_context_processor
def unread_notifications():
    """Give every page the signed-in user's unread count for the bell."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": inbox.unread_count(current_user)}


@blueprint.route("")
@login_required
def index():
    return render_template(
        "notifications/index.html", items=inbox.inbox(current_user), kinds=KINDS
    )


@blueprint.route("/<int:notification_id>")
@login_required
def show(notification_id):
    notification = inbox.open_notification(current_user, notification_id)
    if notification is None:
        abort(404)
    return redirect(notification.link or url_for("notifications.index"))


@blueprint.route("/read-all", methods=["POST"])
@login_required
def read_all():
    inbox.mark_all_read(current_user)
    flash(_("全部通知已标记为已读。"), "success")
    return redirect(url_for("notifications.index"), code=303)


@blueprint.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = EmailPreferencesForm()
    if not form.is_submitted():
        opted_out = inbox.email_opt_outs(current_user)
        form.wanted.data = [k.code for k in optional_kinds() if k.code not in opted_out]
    if form.validate_on_submit():
        inbox.set_email_opt_outs(current_user, form.opted_out())
        flash(_("邮件提醒设置已保存。"), "success")
        return redirect(url_for("notifications.preferences"), code=303)
    mandatory = [kind for kind in KINDS.values() if kind.mandatory]
    return render_template(
        "notifications/preferences.html", form=form, mandatory=mandatory
    )


@blueprint.route("/delivery")
@roles_required(Role.REGISTRY_ADMIN)
def delivery():
    status = _status_argument()
    return render_template(
        "notifications/delivery.html",
        status=status,
        counts=delivery_review.status_counts(current_user),
        messages=delivery_review.messages(current_user, status),
        statuses=list(OutboxStatus),
        kinds=KINDS,
        decision_form=DeliveryDecisionForm(),
    )


def _status_argument():
    try:
        return OutboxStatus(request.args.get("status", OutboxStatus.UNCERTAIN.value))
    except ValueError:
        abort(400)


@blueprint.route("/delivery/<int:message_id>", methods=["POST"])
@roles_required(Role.REGISTRY_ADMIN)
def decide(message_id):
    form = DeliveryDecisionForm()
    if not form.validate_on_submit():
        flash(_("请选择处理方式。"), "danger")
    else:
        try:
            message = delivery_review.resolve(
                current_user, message_id, form.decision.data
            )
        except RecordNotFound:
            abort(404)
        except WorkflowError:
            flash(_("该邮件的状态已变化，请刷新后再处理。"), "warning")
        else:
            flash(_("已处理邮件 #%(id)s。", id=message.id), "success")
    return redirect(url_for("notifications.delivery", **request.args), code=303)
