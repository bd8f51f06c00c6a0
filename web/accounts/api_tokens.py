"""API token administration: list, create (shown once), revoke."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from web.accounts import views as account_views
from web.csrf import keeps_input_on_csrf_error
from web.form_errors import show_domain_error
from workflow import accounts, api_tokens, clock
from workflow.errors import DomainValidationError
from workflow.forms.account import ConfirmForm
from workflow.forms.api_token import ApiTokenForm
from workflow.queue import paginate

blueprint = Blueprint("api_tokens", __name__, url_prefix="/accounts/api-tokens")


# The same gate as the account pages: signed in, a registry administrator.
blueprint.before_request(account_views.require_administrator)


@blueprint.route("/")
def index():
    page = paginate(
        api_tokens.managed_tokens(current_user),
        request.args.get("page", 1, type=int),
        50,
    )
    return render_template(
        "api_tokens/index.html",
        page=page,
        now=clock.wall_now(),
        confirm=ConfirmForm(),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@keeps_input_on_csrf_error
def new():
    form = ApiTokenForm()
    form.set_departments(accounts.departments_below(current_user))
    if not form.is_submitted():
        form.department_id.data = current_user.department_id
    if form.validate_on_submit():
        try:
            token, text = api_tokens.create_token(
                current_user, form.values(), address=request.remote_addr
            )
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            # Rendered, not redirected: the token must not travel through
            # the session cookie or be shown again on reload.
            return render_template("api_tokens/created.html", token=token, text=text)
    return render_template("api_tokens/form.html", form=form)


@blueprint.route("/<int:token_id>/revoke", methods=["POST"])
def revoke(token_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = api_tokens.revoke_token(current_user, token_id, address=request.remote_addr)
    flash(_("API 令牌“%(name)s”已吊销，立即失效。", name=token.name), "success")
    return redirect(url_for("api_tokens.index"), code=303)
