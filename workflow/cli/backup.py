"""``flask backup``: PostgreSQL backups of the database and the uploaded files."""

import sys

import click
from flask.cli import with_appcontext

from workflow.attachments import attachment_folder
from workflow.backup import (
    BackupError,
    create_backup,
    database_url,
    restore_backup,
)


@click.group()
def backup():
    """PostgreSQL backups of the database and the uploaded files."""


@backup.command("create")
@click.argument("destination", type=click.Path(file_okay=False))
@with_appcontext
def create(destination):
    """Write a backup of FUDAO_DATABASE_URL and the attachments to DESTINATION.

    DESTINATION is a new folder; it receives database.dump, attachments.tar.gz
    and manifest.json.
    """
    try:
        manifest = create_backup(database_url(), attachment_folder(), destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"backup written to {destination}: {len(manifest['row_counts'])} tables, "
        f"{sum(manifest['row_counts'].values())} rows, "
        f"{len(manifest['attachments'])} attachment files"
    )


@backup.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore(source):
    """Restore the backup SOURCE into FUDAO_DATABASE_URL and the attachment folder.

    Both must be new and empty. Exits with status 1 when the restored data
    does not match the backup's manifest.
    """
    try:
        problems = restore_backup(source, database_url(), attachment_folder())
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for problem in problems:
        click.echo(f"mismatch: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"backup {source} restored; row counts and files match the manifest")
