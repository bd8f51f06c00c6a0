"""``flask demo``: demo accounts and sample records for trying Fudao."""

import click
from flask.cli import with_appcontext

from workflow.demo import seed_demo


@click.group()
def demo():
    """Demo data for a local installation."""


@demo.command("seed")
@click.option(
    "--password",
    help="Give every demo account this password instead of a random one.",
)
@with_appcontext
def seed(password):
    """Create or reset demo accounts in 湖北省 and print their passwords."""
    accounts = seed_demo(password)
    click.echo("Demo accounts (user name / password / department / role):")
    for account in accounts:
        click.echo(
            f"  {account.username:<18} {account.password:<14} "
            f"{account.department} {account.roles}"
        )
