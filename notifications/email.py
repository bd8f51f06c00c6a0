"""Sending one email: the single place the rest of the product calls.

With ``MAIL_SERVER`` set, the message goes out over SMTP (with STARTTLS and
login when configured). Without it, the message is written as an .eml file
to the "outbox" folder of the instance folder, so a development machine
needs no mail server and nothing leaves it.
"""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from workflow import clock

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


def send_email(recipient, subject, body):
    """Send a plain-text email to ``recipient`` and return its Message-ID.

    Raises ``EmailNotSent`` when the SMTP server fails; nothing is retried.
    """
    message = _build_message(recipient, subject, body)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        path = _write_to_outbox(message)
        logger.info("email %s written to %s", message["Message-ID"], path)
        return message["Message-ID"]
    try:
        _deliver(message, config)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning(
            "email %s to %s:%s failed: %s",
            message["Message-ID"],
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            error,
        )
        raise EmailNotSent(str(error)) from error
    logger.info("email %s sent: %s", message["Message-ID"], subject)
    return message["Message-ID"]


def _build_message(recipient, subject, body):
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="fudao")
    message.set_content(body)
    return message


def _deliver(message, config):
    with smtplib.SMTP(
        config["MAIL_SERVER"],
        config["MAIL_PORT"],
        timeout=config["MAIL_TIMEOUT_SECONDS"],
    ) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _write_to_outbox(message):
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{clock.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path = outbox / name
    path.write_bytes(message.as_bytes())
    return path
