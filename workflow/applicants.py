"""Self-registration of applicant organisations and email confirmation.

An organisation registers with its name, unified social credit code,
contact person and email; its account signs in with the credit code as
user name. The account can sign in only after the link emailed to the
contact address has been opened. The link carries a random token whose
SHA-256 alone is stored; it is valid for ``APPLICANT_CONFIRMATION_HOURS``
and only once.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflow import clock
from workflow.credit_code import check_credit_code
from workflow.divisions import county_department
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.user import User
from workflow.roles import Role

logger = logging.getLogger(__name__)


def register_organisation(values):
    """Create the organisation and its applicant account; commit.

    ``values`` contains name, credit_code, contact_person, contact_phone,
    email, county_code and password. Returns ``(organisation, token)``;
    the caller emails the token. Raises ``DomainValidationError`` for an
    invalid or already registered credit code or an unknown county.
    """
    check_credit_code(values["credit_code"])
    _check_not_registered(values["credit_code"])
    county = _county_department(values["county_code"])
    now = clock.now()
    organisation = ApplicantOrganisation(
        name=values["name"],
        credit_code=values["credit_code"],
        contact_person=values["contact_person"],
        contact_phone=values["contact_phone"],
        email=values["email"],
        created_at=now,
    )
    token = _new_token(organisation, now)
    user = User(
        username=values["credit_code"],
        display_name=values["contact_person"],
        email=values["email"],
        department=county,
        organisation=organisation,
        created_at=now,
    )
    user.set_password(values["password"])
    user.set_roles([Role.CENTER_APPLICANT])
    try:
        db.session.add_all([organisation, user])
        db.session.commit()
    except IntegrityError:
        # Registered by a parallel request between the check and the insert.
        db.session.rollback()
        raise _already_registered(values["credit_code"]) from None
    logger.info("applicant organisation %s registered", organisation.id)
    return organisation, token


def _check_not_registered(credit_code):
    taken = db.session.scalar(
        select(ApplicantOrganisation.id).where(
            ApplicantOrganisation.credit_code == credit_code
        )
    ) or db.session.scalar(select(User.id).where(User.username == credit_code))
    if taken:
        raise _already_registered(credit_code)


def _already_registered(credit_code):
    return DomainValidationError(
        "credit_code",
        f"credit code {credit_code[:8]}... already registered",
        _l("该统一社会信用代码已经注册，请直接登录；未收到确认邮件的可重新发送。"),
    )


def _county_department(code):
    county = county_department(code)
    if county is None:
        raise DomainValidationError(
            "county_code", f"{code!r} is not a county", _l("请选择所在区县。")
        )
    return county


def _new_token(organisation, now):
    token = secrets.token_urlsafe(32)
    organisation.confirmation_token_hash = _digest(token)
    organisation.confirmation_sent_at = now
    return token


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_email(token):
    """Mark the organisation whose link carries ``token`` as confirmed; commit.

    Raises ``DomainValidationError`` when the token is unknown, used or
    expired.
    """
    organisation = db.session.scalars(
        select(ApplicantOrganisation).where(
            ApplicantOrganisation.confirmation_token_hash == _digest(token or "")
        )
    ).first()
    now = clock.now()
    hours = current_app.config["APPLICANT_CONFIRMATION_HOURS"]
    if organisation is None or organisation.is_confirmed:
        raise _invalid_link("unknown or used confirmation token")
    if now > organisation.confirmation_sent_at + timedelta(hours=hours):
        raise _invalid_link(f"token of organisation {organisation.id} expired")
    organisation.email_confirmed_at = now
    organisation.confirmation_token_hash = None
    db.session.commit()
    logger.info("applicant organisation %s confirmed its email", organisation.id)
    return organisation


def _invalid_link(detail):
    return DomainValidationError(
        "token", detail, _l("确认链接无效或已过期，请重新发送确认邮件。")
    )


def renew_confirmation(credit_code, email):
    """Issue a new token for an unconfirmed registration; commit.

    Returns ``(organisation, token)``, or ``None`` when no unconfirmed
    organisation has this credit code and email, so callers can reply
    the same way in both cases.
    """
    organisation = db.session.scalars(
        select(ApplicantOrganisation).where(
            ApplicantOrganisation.credit_code == credit_code,
            ApplicantOrganisation.email == email,
        )
    ).first()
    if organisation is None or organisation.is_confirmed:
        return None
    token = _new_token(organisation, clock.now())
    db.session.commit()
    return organisation, token


def confirmation_message(organisation, link):
    """Return the subject and body of the confirmation email."""
    hours = current_app.config["APPLICANT_CONFIRMATION_HOURS"]
    subject = str(_l("请确认服务中心申请账号的电子邮箱"))
    body = str(
        _l(
            "%(person)s，您好：\n\n"
            "%(name)s（统一社会信用代码 %(code)s）已注册新型农业经营主体服务中心"
            "备案申请账号。请在 %(hours)s 小时内打开下面的链接确认电子邮箱，"
            "确认后即可用统一社会信用代码登录：\n\n%(link)s\n\n"
            "如果不是您本人操作，请忽略本邮件。\n",
            person=organisation.contact_person,
            name=organisation.name,
            code=organisation.credit_code,
            hours=hours,
            link=link,
        )
    )
    return subject, body
