"""A development mail server that prints each message instead of sending it.

It needs aiosmtpd, installed with the ``mailsink`` extra
(``pip install -e '.[mailsink]'``, which ``make run`` does).
"""

import email
import logging
import threading
from email import policy

import click


class PrintingHandler:
    """Print the sender, recipients, subject and text of each message."""

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content, policy=policy.default
        )
        body = message.get_body(("plain",))
        click.echo("─" * 60)
        click.echo(f"From:    {message['From']}")
        click.echo(f"To:      {', '.join(envelope.rcpt_tos)}")
        click.echo(f"Subject: {message['Subject']}")
        click.echo("")
        click.echo(body.get_content() if body is not None else "(no text part)")
        return "250 OK: printed by the development mail sink"


def serve(host, port):
    """Run the sink on ``host``:``port`` until interrupted."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        raise click.ClickException(
            "aiosmtpd is not installed; run pip install -e '.[mailsink]'."
        ) from None
    # aiosmtpd logs every connection at INFO, which would bury the messages.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(
        PrintingHandler(), hostname=host, port=port, enable_SMTPUTF8=True
    )
    controller.start()
    click.echo(f"Mail sink listening on {host}:{port}; press Ctrl+C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
