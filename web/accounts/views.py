"""Account administration: list, create, edit, reset, disable, unlock."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_

from web.csrf import keeps_input_on_csrf_error
from workflow import accounts, clock
from workflow.errors import DomainValidationError
from workflow.forms.account import AccountCreateForm, AccountEditForm, ConfirmForm
from workflow.models.user import User
from workflow.queue import paginate

blueprint = Blueprint("accounts", __name__, url_prefix="/accounts")


@blueprint.before_request
@login_required
def require_administrator():
    if not accounts.can_administer(current_user):
        abort(403)


@blueprint.route("/")
def index():
    search = (request.args.get("q") or "").strip()[:60]
    query = accounts.managed_users(current_user)
    if search:
        query = query.where(
            or_(
                User.username.contains(search, autoescape=True),
                User.display_name.contains(search, autoescape=True),
            )
        )
    page = paginate(
        query.order_by(User.department_id, User.username),
        request.args.get("page", 1, type=int),
        50,
    )
    return render_template(
        "accounts/index.html",
        page=page,
        search=search,
        now=clock.wall_now(),
        confirm=ConfirmForm(),
    )


def _form(form_class, **kwargs):
    form = form_class(**kwargs)
    form.set_departments(accounts.departments_below(current_user))
    return form


def _show_field_error(form, error):
    if error.field in form:
        form[error.field].errors.append(str(error.user_message))
    else:
        flash(str(error.user_message), "danger")


@blueprint.route("/new", methods=["GET", "POST"])
@keeps_input_on_csrf_error
def new():
    form = _form(AccountCreateForm)
    if not form.is_submitted():
        form.department_id.data = current_user.department_id
    if form.validate_on_submit():
        try:
            user, one_time = accounts.create_account(
                current_user,
                form.username.data,
                form.values(),
                address=request.remote_addr,
            )
        except DomainValidationError as error:
            _show_field_error(form, error)
        else:
            return _show_one_time_password(user, one_time, created=True)
    return render_template("accounts/form.html", form=form, account=None)


def _show_one_time_password(user, one_time, created):
    # Rendered, not redirected: the password must not travel through the
    # session cookie or be shown again on reload.
    return render_template(
        "accounts/one_time_password.html",
        account=user,
        one_time_password=one_time,
        created=created,
    )


@blueprint.route("/<int:user_id>/edit", methods=["GET", "POST"])
@keeps_input_on_csrf_error
def edit(user_id):
    user = accounts.load_managed(current_user, user_id)
    form = _form(AccountEditForm, obj=user)
    if not form.is_submitted():
        form.roles.data = [role.value for role in user.roles]
    if form.validate_on_submit():
        try:
            accounts.update_account(
                current_user, user.id, form.values(), address=request.remote_addr
            )
        except DomainValidationError as error:
            _show_field_error(form, error)
        else:
            flash(_("账号已保存。"), "success")
            return redirect(url_for("accounts.index"), code=303)
    return render_template("accounts/form.html", form=form, account=user)


def _confirmed():
    if not ConfirmForm().validate_on_submit():
        abort(400)


@blueprint.route("/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id):
    _confirmed()
    user, one_time = accounts.reset_password(
        current_user, user_id, address=request.remote_addr
    )
    return _show_one_time_password(user, one_time, created=False)


@blueprint.route("/<int:user_id>/disable", methods=["POST"])
def disable(user_id):
    _confirmed()
    user = accounts.set_enabled(
        current_user, user_id, False, address=request.remote_addr
    )
    flash(_("账号 %(name)s 已停用。", name=user.username), "success")
    return redirect(url_for("accounts.index"), code=303)


@blueprint.route("/<int:user_id>/enable", methods=["POST"])
def enable(user_id):
    _confirmed()
    user = accounts.set_enabled(
        current_user, user_id, True, address=request.remote_addr
    )
    flash(_("账号 %(name)s 已启用。", name=user.username), "success")
    return redirect(url_for("accounts.index"), code=303)


@blueprint.route("/<int:user_id>/unlock", methods=["POST"])
def unlock(user_id):
    _confirmed()
    user = accounts.unlock(current_user, user_id, address=request.remote_addr)
    flash(_("账号 %(name)s 已解除锁定。", name=user.username), "success")
    return redirect(url_for("accounts.index"), code=303)
