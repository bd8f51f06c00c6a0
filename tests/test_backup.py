"""PostgreSQL backup and restore with ``flask backup``, as docs/backup.md runs it."""

import json
import shutil

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from tests.center_pages import upload
from tests.conftest import _scratch_app
from tests.helpers import PNG_BYTES, application_values, csrf_token_from
from workflow import service_centers
from workflow.extensions import MIGRATIONS_DIRECTORY, db
from workflow.models import Attachment, AuditEvent, Counselor


def _skip_unless_postgresql_tools():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("backups are made with pg_dump, so only on PostgreSQL")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: postgresql-client)")


def _run(app, *args):
    # The test's own app context belongs to the source app; the command
    # must see ``app``'s database.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", *args])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    return result.output


def _sign_in(app, username):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={
            "username": username,
            "password": "correct horse battery",
            "csrf_token": csrf_token_from(page),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def source_records(app, make_applicant, sign_in, nominate_counselor):
    """Create an appointed counselor and a center with an uploaded file."""
    _skip_unless_postgresql_tools()
    applicant = make_applicant()
    center = service_centers.create_application(applicant, application_values())
    upload(sign_in(applicant), center.id, "premises_proof", "场所.png", PNG_BYTES)
    counselor = nominate_counselor("420525", "appointed", name="𠀾丽华")
    # The session's schema comes from create_all; a deployed database also
    # records its migration revision, which the backup must carry over.
    stamped = app.test_cli_runner().invoke(args=["db", "stamp", "head"])
    assert stamped.exit_code == 0, stamped.output
    yield applicant.username, center.id, counselor.id
    db.session.execute(text("DROP TABLE alembic_version"))
    db.session.commit()


def test_backup_restores_records_and_files(app, source_records, tmp_path):
    username, center_id, counselor_id = source_records
    source_counselor = db.session.get(Counselor, counselor_id)
    source_events = db.session.scalar(select(func.count(AuditEvent.id)))
    backup = tmp_path / "backup"

    created = _run(app, "create", str(backup))

    assert "backup written" in created
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["row_counts"]["counselor"] == 1
    assert (
        manifest["revision"]
        == ScriptDirectory(str(MIGRATIONS_DIRECTORY)).get_current_head()
    )
    assert len(manifest["attachments"]) == 1
    with _scratch_app("postgresql", tmp_path, "restore") as restored:
        restored.config["ATTACHMENT_FOLDER"] = str(tmp_path / "restored-files")
        assert "match the manifest" in _run(restored, "restore", str(backup))

        with restored.app_context():
            counselor = db.session.get(Counselor, counselor_id)
            attachment_id = db.session.scalar(select(Attachment.id))
            events = db.session.scalar(select(func.count(AuditEvent.id)))
            assert counselor.name == "𠀾丽华"
            assert counselor.certificate_number == source_counselor.certificate_number
            assert events == source_events
        client = _sign_in(restored, username)
        download = client.get(f"/centers/{center_id}/attachments/{attachment_id}")
        assert download.get_data() == PNG_BYTES
        download.close()


def test_create_rejects_existing_folder(app, source_records, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path)])

    assert result.exit_code == 1
    assert "already exists" in result.output


def test_restore_rejects_database_with_tables(app, source_records, tmp_path):
    backup = tmp_path / "backup"
    _run(app, "create", str(backup))

    result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup)])

    assert result.exit_code == 1
    assert "already has" in result.output


def test_restore_reports_changed_file(app, source_records, tmp_path):
    backup = tmp_path / "backup"
    _run(app, "create", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    name = next(iter(manifest["attachments"]))
    manifest["attachments"][name] = "0" * 64
    manifest["row_counts"]["counselor"] = 2
    (backup / "manifest.json").write_text(json.dumps(manifest))

    with _scratch_app("postgresql", tmp_path, "restore") as restored:
        restored.config["ATTACHMENT_FOLDER"] = str(tmp_path / "restored-files")
        with restored.app_context():
            result = restored.test_cli_runner().invoke(
                args=["backup", "restore", str(backup)]
            )

    assert result.exit_code == 1
    assert f"file {name}: SHA-256 differs" in result.output
    assert "table counselor: 1 rows, expected 2" in result.output
