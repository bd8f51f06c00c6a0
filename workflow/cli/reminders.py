"""``flask reminders``: run the daily sweeps by hand."""

import click
from flask.cli import with_appcontext

from notifications.sweeps import run_daily_sweeps


@click.group()
def reminders():
    """Reminders and notices derived from deadlines."""


@reminders.command("sweep")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Sweep as of this day (YYYY-MM-DD) instead of today.",
)
@with_appcontext
def sweep(day):
    """Write every reminder and notice due today; safe to run again."""
    written = run_daily_sweeps(day.date() if day else None)
    if not written:
        click.echo("nothing new is due")
    for kind, count in sorted(written.items()):
        click.echo(f"{kind:<22} {count:>6}")
