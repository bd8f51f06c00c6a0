"""``flask divisions``: load the department tree and add townships to it."""

import click
from flask import current_app
from flask.cli import with_appcontext

from workflow.divisions import add_township, load_department_tree
from workflow.extensions import db
from workflow.models.department import DepartmentLevel


@click.group()
def divisions():
    """Manage the department tree built from GB/T 2260 divisions."""


@divisions.command("load")
@click.option(
    "--province",
    metavar="CODE",
    help="Load only the province whose code starts with these two digits.",
)
@with_appcontext
def load(province):
    """Create or update one department per province, prefecture and county."""
    if province is not None and (len(province) != 2 or not province.isdigit()):
        raise click.BadParameter(
            f"{province!r} is not a two-digit province code such as 42.",
            param_hint="--province",
        )
    excluded = current_app.config["EXCLUDED_PROVINCE_CODES"]
    counts = load_department_tree(excluded, only_province=province)
    db.session.commit()
    for level in DepartmentLevel:
        if level in counts:
            click.echo(f"{level.name.lower():<11} {counts[level]:>5}")


@divisions.command("add-township")
@click.argument("code")
@click.argument("name")
@with_appcontext
def add_township_command(code, name):
    """Add the township CODE (nine digits) named NAME below its county.

    Running it again for the same code renames the township.
    """
    try:
        township = add_township(code, name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="CODE") from None
    db.session.commit()
    click.echo(f"{township.code} {township.name} ({township.parent.name})")
