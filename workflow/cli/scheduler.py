"""``flask scheduler``: the process that runs the daily jobs and sends email."""

import click
from flask import current_app
from flask.cli import with_appcontext

from notifications.scheduler import run_scheduler
from notifications.sender import worker_name


@click.group()
def scheduler():
    """The scheduler process; run one beside the web server."""


@scheduler.command("run")
@with_appcontext
def run():
    """Run the daily sweeps, the term-ending check and the sender until interrupted.

    A second scheduler started against the same database waits on standby
    and takes over if the first stops.
    """
    run_scheduler(current_app._get_current_object(), worker_name())
