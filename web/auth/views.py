"""Sign-in, sign-out, the user's own password, and the idle-timeout status."""

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.auth.redirects import safe_next
from web.auth.sessions import end_session, start_session
from web.csrf import keeps_input_on_csrf_error
from workflow import clock, passwords, security_log, user_sessions
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.forms.auth import PasswordChangeForm, SignInForm
from workflow.sign_in import Outcome, authenticate

blueprint = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


def _after_sign_in():
    return safe_next(request.args.get("next")) or url_for("queue.index")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@keeps_input_on_csrf_error
def sign_in():
    if current_user.is_authenticated:
        return redirect(_after_sign_in())
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        attempt = authenticate(
            form.username.data, form.password.data, request.remote_addr
        )
        if attempt.outcome is Outcome.SIGNED_IN and _awaits_confirmation(attempt.user):
            flash(
                _("请先打开确认邮件中的链接完成邮箱确认；未收到可重新发送。"),
                "warning",
            )
        elif attempt.outcome is Outcome.SIGNED_IN:
            start_session(attempt.user, form.remember.data)
            logger.info("user %s signed in", attempt.user.id)
            if attempt.user.must_change_password:
                return redirect(
                    url_for("auth.change_password", next=request.args.get("next"))
                )
            return redirect(_after_sign_in())
        else:
            if attempt.outcome is Outcome.ADDRESS_BLOCKED:
                status = 429
            flash(_rejection_message(attempt), "danger")
    return render_template(
        "auth/sign_in.html",
        form=form,
        remember_days=current_app.config["REMEMBER_DAYS"],
    ), status


def _rejection_message(attempt):
    if attempt.outcome is Outcome.ACCOUNT_LOCKED:
        return _(
            "连续登录失败次数过多，账号已锁定至 %(until)s，"
            "请稍后再试或联系本部门名录库管理员解锁。",
            until=format_datetime(attempt.until, "yyyy-MM-dd HH:mm"),
        )
    if attempt.outcome is Outcome.ADDRESS_BLOCKED:
        return _(
            "来自您所在网络的登录失败次数过多，请 %(minutes)s 分钟后再试。",
            minutes=current_app.config["SIGN_IN_ADDRESS_WINDOW_MINUTES"],
        )
    if attempt.outcome is Outcome.DISABLED:
        return _("该账号已停用，请联系本部门名录库管理员。")
    if attempt.outcome is Outcome.ONE_TIME_PASSWORD_EXPIRED:
        return _("临时密码已过期，请联系本部门名录库管理员重新设置。")
    return _("用户名或密码不正确。")


def _awaits_confirmation(user):
    # Applicants sign in only after confirming their email address.
    return user.is_applicant and not user.organisation.is_confirmed


@blueprint.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    logger.info("user %s signed out", current_user.id)
    end_session("signed_out")
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_error
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            _store_new_password(form)
        except DomainValidationError as error:
            form[error.field].errors.append(str(error.user_message))
        else:
            flash(_("密码已修改。"), "success")
            return redirect(_after_sign_in(), code=303)
    return render_template(
        "auth/change_password.html",
        form=form,
        forced=current_user.must_change_password,
    )


def _store_new_password(form):
    user = current_user._get_current_object()
    if not user.check_password(form.current_password.data):
        raise DomainValidationError(
            "current_password",
            f"user {user.id} gave a wrong current password",
            _("当前密码不正确。"),
        )
    password = form.new_password.data
    passwords.check_password_rules(password, user.username, field="new_password")
    passwords.check_not_reused(user, password, field="new_password")
    passwords.store_password(user, password, one_time=False)
    user_sessions.end_all(user, "password_changed", keep=g.user_session)
    security_log.record_event(
        security_log.PASSWORD_CHANGED, user, subject=user, address=request.remote_addr
    )
    db.session.commit()
    logger.info("user %s changed their password", user.id)


@blueprint.route("/session/status")
def session_status():
    user_session = g.get("user_session")
    if user_session is None:
        return jsonify(signed_in=False, seconds_left=0)
    left = user_sessions.seconds_left(user_session, clock.wall_now())
    return jsonify(signed_in=True, seconds_left=left)


@blueprint.route("/session/keep-alive", methods=["POST"])
def keep_alive():
    user_session = g.get("user_session")
    if user_session is None:
        return jsonify(signed_in=False, seconds_left=0)
    now = clock.wall_now()
    user_sessions.touch(user_session, now, force=True)
    db.session.commit()
    return jsonify(
        signed_in=True, seconds_left=user_sessions.seconds_left(user_session, now)
    )
