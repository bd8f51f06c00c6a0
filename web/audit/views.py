"""The audit log viewer for administrators and supervisors; read only."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from web.auth.access import roles_required
from workflow import accounts, audit_log, nominations, security_log
from workflow.forms.audit import AuditFilterForm
from workflow.models.counselor import Counselor
from workflow.roles import Role

blueprint = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 100


def action_labels():
    """Return every audit action with its Chinese label."""
    labels = {
        trigger: step.label for trigger, step in Counselor.__workflow__.steps.items()
    }
    labels.update(nominations.ACTION_LABELS)
    labels.update(security_log.ACTION_LABELS)
    return labels


@blueprint.route("/")
@roles_required(Role.REGISTRY_ADMIN, Role.SUPERVISOR)
def index():
    labels = action_labels()
    form = AuditFilterForm(formdata=request.args)
    form.set_choices(
        accounts.departments_below(current_user), [(k, v) for k, v in labels.items()]
    )
    form.validate()
    page = audit_log.page_of_events(
        current_user,
        form.filters(),
        request.args.get("page", 1, type=int),
        PAGE_SIZE,
    )
    return render_template(
        "audit/index.html", form=form, page=page, action_labels=labels
    )
