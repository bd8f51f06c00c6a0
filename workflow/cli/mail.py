"""``flask mail sink``: a local SMTP server that prints what it receives."""

import click

from notifications.mail_sink import serve


@click.group()
def mail():
    """Mail tools for development."""


@mail.command("sink")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=1025, show_default=True, type=int)
def sink(host, port):
    """Accept every email on HOST:PORT and print it; nothing is delivered."""
    serve(host, port)
