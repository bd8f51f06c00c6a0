"""``flask registry``: the import template, batch import and export.

The commands act as a named user and go through the same services as the
web pages, so jurisdiction, roles and every validation apply unchanged.
"""

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from workflow.errors import WorkflowError
from workflow.extensions import db
from workflow.models.user import User
from workflow.queue import Filters
from workflow.registry_export import export_registry
from workflow.registry_import import batches
from workflow.registry_import.files import FileRejected
from workflow.registry_template import write_template

SHOWN_PROBLEMS = 50


@click.group()
def registry():
    """Import and export the counselor registry as spreadsheets."""


def _user(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_enabled:
        raise click.BadParameter(
            f"no enabled user named {username!r}", param_hint="--user"
        )
    return user


USER_OPTION = click.option(
    "--user", "username", required=True, help="Act as this user (user name)."
)


@registry.command("template")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def template(output):
    """Write a blank import template (.xlsx) to OUTPUT."""
    write_template(output)
    click.echo(f"template written to {output}")


@registry.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@USER_OPTION
@click.option(
    "--commit", is_flag=True, help="Write the rows when the file has no problems."
)
@with_appcontext
def import_file(file, username, commit):
    """Check FILE (.xlsx, .xls or .csv) and, with --commit, import it."""
    user = _user(username)
    try:
        batch = batches.upload(user, file.name, file.read_bytes(), commit=commit)
    except FileRejected as error:
        raise click.ClickException(f"{error.user_message} ({error})") from None
    except WorkflowError as error:
        raise click.ClickException(str(error.user_message)) from None
    _echo_report(batch)
    if batch.problem_count:
        raise SystemExit(1)
    if commit:
        click.echo(f"batch {batch.id} committed")


def _echo_report(batch):
    report = batches.report(batch)
    counts = report["counts"]
    click.echo(
        f"batch {batch.id}: {counts['rows']} rows, {counts['appoint']} appointed, "
        f"{counts['nominate']} nominations, {counts['update']} updates, "
        f"{counts['unchanged']} unchanged, {counts['problems']} problems"
    )
    for notice in report["notices"]:
        click.echo(f"note: {notice}")
    if report["earlier_batch"]:
        click.echo(
            f"note: same file as committed batch {report['earlier_batch']['id']}"
        )
    for problem in report["problems"][:SHOWN_PROBLEMS]:
        click.echo(
            f"row {problem['row']} {problem['column']} {problem['header']} "
            f"[{problem['value']}]: {problem['message']}"
        )
    if batch.problem_count > SHOWN_PROBLEMS:
        click.echo(f"... {batch.problem_count - SHOWN_PROBLEMS} more problems")


@registry.command("batches")
@USER_OPTION
@with_appcontext
def list_batches(username):
    """List the latest import batches the user may see."""
    for batch in batches.list_batches(_user(username)):
        click.echo(
            f"{batch.id:>6} {batch.uploaded_at:%Y-%m-%d %H:%M} "
            f"{batch.status.value:<10} {batch.row_count:>6} rows  "
            f"{batch.sha256[:12]}  {batch.filename}"
        )


@registry.command("export")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@USER_OPTION
@with_appcontext
def export(output, username):
    """Write every record the user may see to OUTPUT (.xlsx)."""
    written = export_registry(_user(username), Filters(), output)
    click.echo(f"{written} records written to {output}")
