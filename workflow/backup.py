"""Back up and restore a PostgreSQL database together with the uploaded files.

A backup is a folder of three files: ``database.dump`` (``pg_dump`` custom
format), ``attachments.tar.gz`` (the attachment folder) and
``manifest.json``. The manifest records the row count of every table, read
in the same snapshot that ``pg_dump`` dumps, the migration revision and the
SHA-256 of every attachment file, so a restore can prove it got them all
back. docs/backup.md describes the procedure around these functions.
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from workflow.extensions import db
from workflow.models import Attachment

logger = logging.getLogger(__name__)

DUMP_NAME = "database.dump"
ATTACHMENTS_NAME = "attachments.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore could not be made or does not match its manifest."""


def libpq_environment(url):
    """Return environment variables that point libpq tools at ``url``.

    The password travels in ``PGPASSWORD``, never on the command line,
    where other users of the machine could read it.
    """
    url = make_url(url)
    if url.get_backend_name() != "postgresql":
        raise BackupError(
            f"Backups need a PostgreSQL database, got a {url.get_backend_name()} "
            f"URL; set FUDAO_DATABASE_URL to the PostgreSQL database."
        )
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    given = {name: value for name, value in settings.items() if value is not None}
    return {**os.environ, **given}


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH; install the PostgreSQL client "
            f"(Debian: apt-get install postgresql-client) in the server's version."
        )
    return path


def _run(command, environment):
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed with exit code "
            f"{completed.returncode}: {completed.stderr.strip()}"
        )


def create_backup(url, attachments, destination):
    """Write a backup of database ``url`` and folder ``attachments``.

    Creates the folder ``destination`` (which must not exist yet) and
    returns the manifest. The row counts and the dump come from one
    exported snapshot, so they agree even while the app keeps writing.
    """
    destination = Path(destination)
    try:
        destination.mkdir(parents=True)
    except FileExistsError:
        raise BackupError(
            f"{destination} already exists; name a new folder for each backup, "
            f"such as one named after the date and time."
        ) from None
    environment = libpq_environment(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            row_counts = _row_counts(connection)
            revision = _revision(connection)
            # The snapshot lives as long as this transaction, so pg_dump
            # must finish before the connection closes.
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={destination / DUMP_NAME}",
                ],
                environment,
            )
    finally:
        engine.dispose()

    files = _archive_folder(Path(attachments), destination / ATTACHMENTS_NAME)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision,
        "row_counts": row_counts,
        "attachments": files,
    }
    (destination / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    logger.info(
        "backup %s written: %d tables, %d attachment files",
        destination,
        len(row_counts),
        len(files),
    )
    return manifest


def _row_counts(connection):
    names = sorted(inspect(connection).get_table_names())
    return {
        name: connection.scalar(text(f'SELECT count(*) FROM "{name}"'))
        for name in names
    }


def _revision(connection):
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _archive_folder(folder, archive):
    files = {}
    with tarfile.open(archive, "w:gz") as tar:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    name = path.relative_to(folder).as_posix()
                    files[name] = _sha256(path)
                    tar.add(path, arcname=name)
    return files


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore_backup(backup, url, attachments):
    """Restore ``backup`` into the empty database ``url`` and folder ``attachments``.

    Refuses a database that has tables or an attachment folder that has
    files, so a restore never mixes with live data. Returns the problems
    ``check_restore`` finds; an empty list means the restore is complete.
    """
    backup = Path(backup)
    manifest = json.loads((backup / MANIFEST_NAME).read_text())
    _require_empty(url, Path(attachments))

    _run(
        [
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={make_url(url).database}",
            str(backup / DUMP_NAME),
        ],
        libpq_environment(url),
    )
    Path(attachments).mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / ATTACHMENTS_NAME, "r:gz") as tar:
        # The "data" filter rejects absolute paths, links out of the folder
        # and device files. NOTE: it needs Python 3.11.4 or newer.
        tar.extractall(attachments, filter="data")
    logger.info("backup %s restored", backup)
    return check_restore(manifest, url, attachments)


def _require_empty(url, attachments):
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"Database {make_url(url).database!r} already has {len(tables)} "
            f"tables; restore into a new empty database (createdb)."
        )
    if attachments.is_dir() and any(attachments.iterdir()):
        raise BackupError(
            f"Attachment folder {attachments} is not empty; restore into a new "
            f"folder and point FUDAO_ATTACHMENT_FOLDER at it."
        )


def check_restore(manifest, url, attachments):
    """Compare a restored database and folder with ``manifest``; return problems."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row_counts = _row_counts(connection)
            revision = _revision(connection)
            stored = connection.execute(
                select(Attachment.center_id, Attachment.stored_name)
            ).all()
    finally:
        engine.dispose()

    problems = []
    if revision != manifest["revision"]:
        problems.append(f"revision {revision}, expected {manifest['revision']}")
    for table, expected in manifest["row_counts"].items():
        if row_counts.get(table) != expected:
            problems.append(
                f"table {table}: {row_counts.get(table)} rows, expected {expected}"
            )
    problems += _attachment_problems(manifest["attachments"], Path(attachments))
    for center_id, stored_name in stored:
        if not (Path(attachments) / str(center_id) / stored_name).is_file():
            problems.append(f"attachment {center_id}/{stored_name}: file missing")
    return problems


def _attachment_problems(expected_files, folder):
    problems = []
    for name, digest in expected_files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"file {name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"file {name}: SHA-256 differs")
    return problems


def database_url():
    """Return the URL of the app's database, password included."""
    return db.engine.url.render_as_string(hide_password=False)
