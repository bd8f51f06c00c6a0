"""Real SMTP servers on loopback (aiosmtpd) that behave well or badly."""

import asyncio
import email
import threading
from email import policy

from aiosmtpd.controller import Controller


class RecordingHandler:
    """Accept every message and keep it; refuse the addresses in ``refused``."""

    def __init__(self, refused=()):
        self.refused = set(refused)
        self.received = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.keep(envelope)
        return "250 OK: queued"

    def keep(self, envelope):
        """Store a received message."""
        with self._lock:
            self.received.append(
                (
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(
                        envelope.original_content, policy=policy.default
                    ),
                )
            )

    @property
    def messages(self):
        """Return the parsed messages received so far."""
        with self._lock:
            return [message for _, message in self.received]

    def keys(self):
        """Return the outbox keys of the messages received so far."""
        return [message["X-Fudao-Key"] for message in self.messages]


class DroppingHandler(RecordingHandler):
    """Keep the message, then close the connection instead of replying 250."""

    async def handle_DATA(self, server, session, envelope):
        self.keep(envelope)
        server.transport.close()
        return "250 OK: queued"


class RefusingHandler(RecordingHandler):
    """Answer every sender with a temporary error."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        return "451 4.3.0 try again later"


class SlowHandler(RecordingHandler):
    """Wait ``delay`` seconds before answering RCPT, longer than the client waits."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.delay)
        return await super().handle_RCPT(
            server, session, envelope, address, rcpt_options
        )


class HangingHandler(RecordingHandler):
    """Keep the message, then never answer, until ``release`` is set."""

    def __init__(self):
        super().__init__()
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.keep(envelope)
        self.arrived.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 OK: queued"


def start_server(handler, port, smtputf8=True):
    """Start an SMTP server on 127.0.0.1:``port``; return its controller."""
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8
    )
    controller.start()
    return controller
