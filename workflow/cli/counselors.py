"""``flask counselors``: the daily term-ending job."""

import click
from flask.cli import with_appcontext

from workflow.term_endings import mark_terms_ending


@click.group()
def counselors():
    """Jobs on counselor records."""


@counselors.command("mark-terms-ending")
@with_appcontext
def mark_terms_ending_command():
    """Move counselors whose term ends soon to "term ending" now.

    The scheduler process runs this every day; use it for a manual run.
    """
    moved = mark_terms_ending()
    click.echo(f"moved {moved} counselors to term_ending")
