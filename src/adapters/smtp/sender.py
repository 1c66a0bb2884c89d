"""Notifications as plain-text mail, sent with aiosmtplib (one connection per message)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from application.ports import Notification, NotificationSender

_TRUE = {"1", "true", "yes"}
SMTP_PORT = 25
SMTPS_PORT = 465


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where mail goes: parsed from ``smtp://[user:password@]host[:port][?starttls=true]`` or ``smtps://``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool = False
    timeout_seconds: float = 30.0

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://[user:password@]host[:port][?starttls=true] or smtps://...")
        query = parse_qs(parts.query)
        implicit_tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (SMTPS_PORT if implicit_tls else SMTP_PORT),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit_tls,
            start_tls=not implicit_tls and query.get("starttls", ["false"])[0].lower() in _TRUE,
        )


def compose(notification: Notification, sender: str) -> EmailMessage:
    """A plain-text mail: the kind as the subject, each payload field on a line of its own."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notification.recipient
    message["Subject"] = notification.kind.replace("_", " ").capitalize()
    lines = [f"{key.replace('_', ' ')}: {value}" for key, value in sorted(notification.payload.items())]
    message.set_content("\n".join(lines) + "\n" if lines else f"{notification.kind}\n")
    return message


class SmtpNotificationSender(NotificationSender):
    """Sends each notification as one mail; any SMTP or network error propagates, so the relay retries it."""

    def __init__(self, server: SmtpServer, *, sender: str) -> None:
        self._server = server
        self._sender = sender

    async def send(self, notification: Notification) -> None:
        server = self._server
        await aiosmtplib.send(
            compose(notification, self._sender),
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            timeout=server.timeout_seconds,
        )
