"""``flask entities``: bulk-load served entities."""

import click
from flask.cli import with_appcontext

from workflow.entity_import import COLUMNS, import_entities


@click.group()
def entities():
    """Served entities: cooperatives, unions and family farms."""


@entities.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path):
    """Load entities from a UTF-8 CSV file with a header row.

    Columns: 主体类型, 主体名称, 统一社会信用代码, 所在区县代码.
    """
    with open(path, encoding="utf-8-sig", newline="") as stream:
        result = import_entities(stream)
    if result.errors:
        for error in result.errors:
            click.echo(error, err=True)
        raise click.ClickException(
            f"{len(result.errors)} invalid rows; nothing was loaded. "
            f"Expected columns: {', '.join(COLUMNS)}."
        )
    click.echo(f"added {result.added}, already registered {result.skipped}")
