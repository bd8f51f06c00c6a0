"""Sign-in and sign-out."""

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from workflow.extensions import db
from workflow.forms.auth import SignInForm
from workflow.models.user import User

blueprint = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


def _safe_next(target):
    # Only paths on this site; "//host" and absolute URLs would leave it.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    return target


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("queue.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalars(
            select(User).where(User.username == form.username.data.strip())
        ).first()
        if user is None or not user.check_password(form.password.data):
            logger.info("failed sign-in for user name %r", form.username.data[:60])
            flash(_("用户名或密码不正确。"), "danger")
        elif not user.is_enabled:
            flash(_("该账号已停用，请联系本部门名录库管理员。"), "danger")
        elif user.is_applicant and not user.organisation.is_confirmed:
            flash(
                _("请先打开确认邮件中的链接完成邮箱确认；未收到可重新发送。"),
                "warning",
            )
        else:
            login_user(user, remember=form.remember.data)
            logger.info("user %s signed in", user.id)
            return redirect(
                _safe_next(request.args.get("next")) or url_for("queue.index")
            )
    return render_template("auth/sign_in.html", form=form)


@blueprint.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    logger.info("user %s signed out", current_user.id)
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.sign_in"))
