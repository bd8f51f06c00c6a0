"""``flask registry``: the same import service from the command line."""

from sqlalchemy import func, select

from tests.helpers import FIXTURES
from workflow.extensions import db
from workflow.models import Counselor, ImportBatch, Role


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["registry", *args])


def test_import_with_commit_writes_records(app, make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    result = _invoke(
        app, "import", str(FIXTURES / "good.xls"), "--user", admin.username, "--commit"
    )

    assert result.exit_code == 0, result.output
    assert "6 appointed, 2 nominations" in result.output
    assert "committed" in result.output
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 8


def test_import_of_bad_rows_exits_nonzero(app, make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    result = _invoke(
        app,
        "import",
        str(FIXTURES / "errors.xlsx"),
        "--user",
        admin.username,
        "--commit",
    )

    assert result.exit_code == 1
    assert "row 9 J *手机号码 [1390000]" in result.output
    assert db.session.scalar(select(func.count()).select_from(Counselor)) == 0
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_rejected_file_reports_reason(app, make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)

    result = _invoke(
        app, "import", str(FIXTURES / "password.xls"), "--user", admin.username
    )

    assert result.exit_code == 1
    assert "设置了打开密码" in result.output


def test_template_and_batches_commands(app, make_user, frozen_clock, tmp_path):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _invoke(app, "import", str(FIXTURES / "good.xlsx"), "--user", admin.username)

    template = _invoke(app, "template", str(tmp_path / "t.xlsx"))
    listing = _invoke(app, "batches", "--user", admin.username)

    assert template.exit_code == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    assert "good.xlsx" in listing.output
    assert "ready" in listing.output
