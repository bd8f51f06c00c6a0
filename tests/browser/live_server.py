"""The real app on a loopback port, prepared the way ``make run`` prepares it.

The database is a fresh SQLite file brought up by the same three commands
as ``make database``: ``flask db upgrade``, ``flask divisions load`` (one
province) and ``flask demo seed``, so the accounts and sample records are
the ones a person trying the product gets. The server runs in a thread of
the test process, which lets a test move the workflow clock
(``workflow.clock``) that the server reads, instead of waiting for days.
"""

import threading
from dataclasses import dataclass

from werkzeug.serving import make_server

from web import create_app

# The demo departments are in Hubei, and one province loads quickly.
PROVINCE = "42"
# Every demo account gets this password from ``flask demo seed``.
DEMO_PASSWORD = "browser-test-2026"


@dataclass
class LiveServer:
    """A running server: its app, its address and how to stop it."""

    app: object
    url: str
    server: object
    thread: threading.Thread

    def stop(self):
        """Stop serving and wait for the server thread to end."""
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


def build_app(directory, smtp_port):
    """Create the app on a new SQLite file and attachment folder in ``directory``.

    Applicants' confirmation emails go to an SMTP server on loopback
    ``smtp_port``, which the test that needs them starts.
    """
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{directory / 'fudao.db'}",
        ATTACHMENT_FOLDER=str(directory / "attachments"),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
    )


def prepare_database(app):
    """Migrate the database, load the departments and seed the demo data."""
    runner = app.test_cli_runner()
    for args in (
        ["db", "upgrade"],
        ["divisions", "load", "--province", PROVINCE],
        ["demo", "seed", "--password", DEMO_PASSWORD],
    ):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise RuntimeError(
                f"flask {' '.join(args)} failed: {result.output}"
            ) from result.exception


def serve(app):
    """Serve ``app`` on a free loopback port in a thread and return the server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, name="live-server", daemon=True
    )
    thread.start()
    return LiveServer(app, f"http://127.0.0.1:{server.server_port}", server, thread)
