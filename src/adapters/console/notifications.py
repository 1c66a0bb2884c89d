"""Notifications written to the log, so a developer sees an activation code without a mail server."""

from __future__ import annotations

import logging

from application.ports import Notification, NotificationSender

logger = logging.getLogger("commerce.notifications")


class ConsoleNotificationSender(NotificationSender):
    """Logs each committed outbox message: recipient, kind and, when it has one, its code.

    For development only: the composition root never builds it in production,
    where codes must not reach any log.
    """

    async def send(self, notification: Notification) -> None:
        code = notification.payload.get("code")
        logger.info(
            "notification to %s: %s%s",
            notification.recipient,
            notification.kind,
            f" (code {code})" if code is not None else "",
            extra={"recipient": notification.recipient, "kind": notification.kind, "code": code},
        )


class LogNotificationSender(NotificationSender):
    """The relay's default channel when no mail server is configured: one log line per delivery.

    It names the recipient and the kind, and only the *names* of the payload's
    fields: codes and links are secrets, and logs are not the place for them.
    """

    async def send(self, notification: Notification) -> None:
        fields = sorted(notification.payload)
        logger.info(
            "notification delivered to the log: %s to %s (fields: %s)",
            notification.kind,
            notification.recipient,
            ", ".join(fields) or "none",
            extra={"recipient": notification.recipient, "kind": notification.kind, "fields": fields},
        )
