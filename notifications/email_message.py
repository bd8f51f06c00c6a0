"""Building an outbox row into a MIME email with the standard email package.

Chinese subjects and display names are encoded as RFC 2047 words and the
bodies as base64 UTF-8, so any server and client carry them intact. An
address whose local part is Chinese needs a server that offers SMTPUTF8;
a Chinese domain is sent in its ASCII (IDNA) form.
"""

from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from email_validator import EmailNotValidError, validate_email

from workflow import clock
from workflow.clock import TIMEZONE


class InvalidRecipient(ValueError):
    """The recipient address cannot be used; sending it again will not help."""


@dataclass(frozen=True)
class Recipient:
    """A checked address and whether delivering it needs SMTPUTF8."""

    address: str
    needs_smtputf8: bool


def check_recipient(raw_address):
    """Return the address to use for ``raw_address`` or raise ``InvalidRecipient``."""
    try:
        checked = validate_email(
            raw_address, check_deliverability=False, allow_smtputf8=True
        )
    except EmailNotValidError as error:
        raise InvalidRecipient(f"invalid address {raw_address!r}: {error}") from None
    if checked.ascii_email:
        return Recipient(checked.ascii_email, needs_smtputf8=False)
    return Recipient(f"{checked.local_part}@{checked.ascii_domain}", True)


def build_email(message, rendered, recipient, config):
    """Return the ``EmailMessage`` for outbox row ``message``."""
    email = EmailMessage(
        policy=policy.SMTPUTF8 if recipient.needs_smtputf8 else policy.SMTP
    )
    sender = config["MAIL_FROM_ADDRESS"]
    email["Subject"] = rendered.subject
    email["From"] = Address(display_name=config["MAIL_FROM_NAME"], addr_spec=sender)
    # username/domain instead of addr_spec: the parser behind addr_spec
    # rejects the non-ASCII local parts that SMTPUTF8 allows.
    local_part, _, domain = recipient.address.rpartition("@")
    email["To"] = Address(
        display_name=message.recipient_name, username=local_part, domain=domain
    )
    email["Date"] = format_datetime(clock.now().replace(tzinfo=TIMEZONE))
    email["Message-ID"] = make_msgid(
        idstring=f"outbox{message.id}", domain=sender.rpartition("@")[2] or None
    )
    # Lets a person match a received email to its outbox row.
    email["X-Fudao-Key"] = message.idempotency_key
    email.set_content(rendered.text, charset="utf-8", cte="base64")
    email.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="base64")
    return email
