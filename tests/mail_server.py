"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd), recording what arrives."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    """Records each message; refuses (5xx), defers (4xx) or holds the addresses it is told to."""

    refuse: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)
    hold_data_at: int | None = None  # keep the n-th message (1-based) waiting for its answer
    hold_rcpt_at: int | None = None  # keep the n-th recipient waiting
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    rcpt_count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.rcpt_count += 1
        if self.hold_rcpt_at == self.rcpt_count:
            self.held.set()
            await asyncio.sleep(30)
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.defer:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            count = len(self.received)
        if self.hold_data_at == count:
            self.held.set()
            await asyncio.sleep(30)
        return "250 2.0.0 Ok: queued"

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, _, raw in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.logins = 0

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.user,
            self.password,
        )
        self.logins += ok
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(mailbox: Mailbox, **options: Any) -> Iterator[int]:
    """Serve ``mailbox`` on a free port of 127.0.0.1; ``options`` go to aiosmtpd's SMTP."""
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def tls_contexts(ca: Any) -> tuple[ssl.SSLContext, Any]:
    """A server context for 127.0.0.1 signed by the trustme ``ca``, and the CA's PEM file."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context, ca.cert_pem
