"""``flask accounts``: the first administrator of a new installation."""

import click
from flask.cli import with_appcontext

from workflow.accounts import create_first_administrator
from workflow.errors import DomainValidationError, RecordNotFound


@click.group()
def accounts():
    """User accounts; all others are created in the product (账号管理)."""


@accounts.command("create-admin")
@click.argument("username")
@click.option(
    "--department",
    "department_code",
    default="000000",
    show_default=True,
    help="Six-digit code of the account's department; 000000 is the Ministry.",
)
@click.option("--name", "display_name", required=True, help="Name shown in pages.")
@click.option("--email", help="Email address for notices.")
@with_appcontext
def create_admin(username, department_code, display_name, email):
    """Create a registry administrator and print a one-time password.

    The password must be replaced at the first sign-in, within
    ONE_TIME_PASSWORD_HOURS.
    """
    try:
        user, one_time = create_first_administrator(
            username, department_code, display_name, email
        )
    except (RecordNotFound, DomainValidationError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {user.username} ({user.department.name})")
    click.echo(f"one-time password: {one_time}")
