"""The dedicated mail sender process: ``flask outbox run``.

It sends due emails in rounds until SIGTERM or Ctrl+C, waiting
``OUTBOX_POLL_SECONDS`` after a round that found nothing to send. It may
run beside the scheduler, which also sends every minute, and beside other
senders: each message is claimed under a lease (notifications/sender.py),
so no two senders deliver the same message. A stop request lets the
message in hand finish, so its attempt is recorded, and claims no more.
"""

import logging
import signal
import threading

from sqlalchemy.exc import SQLAlchemyError

from notifications.sender import send_due
from workflow.extensions import db

logger = logging.getLogger(__name__)


def run_sender(app, worker, poll_seconds, stop=None):
    """Send due emails until ``stop`` is set, SIGTERM arrives or Ctrl+C."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    logger.info("outbox sender %s started, polling every %s s", worker, poll_seconds)
    try:
        while not stop.is_set():
            if not _send_round(app, worker, stop):
                stop.wait(poll_seconds)
    except KeyboardInterrupt:
        pass
    logger.info("outbox sender %s stopped", worker)


def _send_round(app, worker, stop):
    """Send one batch; return whether any message was handled."""
    with app.app_context():
        try:
            summary = send_due(worker, stop=stop)
        except SQLAlchemyError:
            # The database may be restarting; the next round tries again.
            logger.exception("outbox sender %s: round failed", worker)
            db.session.rollback()
            return False
    handled = sum(summary.values())
    if handled:
        logger.info("outbox sender %s: %s", worker, dict(summary))
    return handled > 0
