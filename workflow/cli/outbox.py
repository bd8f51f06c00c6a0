"""``flask outbox``: send pending emails and show where messages stand."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from notifications.sender import send_due, worker_name
from notifications.sender_loop import run_sender
from workflow.extensions import db
from workflow.models.outbox import OutboxMessage, OutboxStatus


@click.group()
def outbox():
    """The email outbox."""


@outbox.command("send")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Send at most this many messages (default OUTBOX_BATCH_SIZE).",
)
@with_appcontext
def send(limit):
    """Deliver the emails that are due, once each, and print the outcomes."""
    summary = send_due(worker_name(), limit)
    for outcome in ("sent", "retry", "failed", "uncertain", "recovered"):
        click.echo(f"{outcome:<10} {summary[outcome]:>6}")


@outbox.command("run")
@click.option(
    "--poll-seconds",
    type=click.FloatRange(min=0.1),
    help="Seconds to wait when nothing is due (default OUTBOX_POLL_SECONDS).",
)
@with_appcontext
def run(poll_seconds):
    """Send due emails continuously until SIGTERM or Ctrl+C.

    Safe beside the scheduler and other senders: each message is claimed
    under a lease, so no two senders deliver the same one.
    """
    app = current_app._get_current_object()
    run_sender(app, worker_name(), poll_seconds or app.config["OUTBOX_POLL_SECONDS"])


@outbox.command("status")
@with_appcontext
def status():
    """Print how many messages are in each status."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    for state in OutboxStatus:
        click.echo(f"{state.value:<10} {counts.get(state, 0):>6}")
