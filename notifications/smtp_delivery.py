"""One SMTP conversation, and what its result means for the outbox.

The conversation is run step by step rather than through
``smtplib.SMTP.sendmail``, to know how far it got when something breaks.
Before the message text is complete the server cannot have accepted it, so
a retry is safe. Once the text is sent and the final reply is lost, the
server may have accepted it, so the outcome is uncertain.
"""

import enum
import logging
import re
import smtplib
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_LEADING_DOT = re.compile(rb"(?m)^\.")


class Outcome(enum.Enum):
    """The result of one delivery attempt."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt, why, and the server's code and text if any.

    ``reason`` is one of the codes in ``workflow.models.outbox.ERROR_LABELS``
    (None when sent); ``detail`` is the technical text for logs.
    """

    outcome: Outcome
    detail: str
    smtp_code: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Server:
    """Address, credentials and timeout of the mail server."""

    host: str
    port: int
    timeout: float
    username: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_config(cls, config):
        """Return the server named by the app's SMTP settings."""
        return cls(
            host=config["SMTP_HOST"],
            port=config["SMTP_PORT"],
            timeout=config["SMTP_TIMEOUT"],
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            starttls=config["SMTP_STARTTLS"],
        )


def deliver(server, sender, recipient, payload, *, smtputf8, before_data):
    """Hand ``payload`` (bytes with CRLF line ends) to the server.

    ``before_data`` is called right before the DATA command, so the caller
    can record that the server may accept the message from now on.
    Returns a ``Result``; network errors are folded into it.
    """
    try:
        connection = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    except (OSError, smtplib.SMTPException) as error:
        return Result(Outcome.RETRY, f"cannot connect: {error!r}", reason="unreachable")
    try:
        return _converse(
            connection, server, sender, recipient, payload, smtputf8, before_data
        )
    finally:
        _close(connection)


def _converse(connection, server, sender, recipient, payload, smtputf8, before_data):
    data_sent = False
    try:
        refusal = _open_envelope(connection, server, sender, recipient, smtputf8)
        if refusal is not None:
            return refusal

        before_data()
        code, reply = connection.docmd("data")
        if code != 354:
            return _refused("DATA", code, reply)
        connection.send(_dot_stuffed(payload))
        data_sent = True
        code, reply = connection.getreply()
    except (OSError, smtplib.SMTPException) as error:
        if data_sent:
            return Result(
                Outcome.UNCERTAIN,
                f"connection lost after the message was sent: {error!r}",
                reason="lost_after_data",
            )
        return Result(
            Outcome.RETRY, f"connection lost: {error!r}", reason="connection_lost"
        )
    if code == 250:
        return Result(Outcome.SENT, _text(reply), code)
    return _refused("end of data", code, reply)


def _open_envelope(connection, server, sender, recipient, smtputf8):
    connection.ehlo_or_helo_if_needed()
    if server.starttls:
        connection.starttls()
        connection.ehlo()
    if server.username:
        connection.login(server.username, server.password or "")
    options = []
    if smtputf8:
        if not connection.has_extn("smtputf8"):
            return Result(
                Outcome.FAILED,
                "the address needs SMTPUTF8, which the server does not offer",
                reason="smtputf8_unsupported",
            )
        options.append("SMTPUTF8")
    code, reply = connection.mail(sender, options)
    if code != 250:
        return _refused("MAIL FROM", code, reply)
    code, reply = connection.rcpt(recipient)
    if code not in (250, 251):
        return _refused("RCPT TO", code, reply)
    return None


def _refused(step, code, reply):
    # 5xx replies are permanent (RFC 5321 section 4.2.1); anything else,
    # 4xx included, may succeed later.
    permanent = 500 <= code < 600
    return Result(
        Outcome.FAILED if permanent else Outcome.RETRY,
        f"{step} refused: {code} {_text(reply)}",
        code,
        "rejected" if permanent else "deferred",
    )


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _dot_stuffed(payload):
    # RFC 5321 section 4.5.2: a line starting with a dot gets another dot,
    # and a lone dot ends the message.
    body = _LEADING_DOT.sub(b"..", payload)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _close(connection):
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
