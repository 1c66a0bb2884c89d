"""The outbox as buying writes it: the same rows, one prepared Core INSERT for the notices of a call."""

from __future__ import annotations

from sqlalchemy import insert

from adapters.postgres.identity import SqlaOutbox
from adapters.postgres.ordering.core import connection_of
from adapters.postgres.tables import OutboxRow
from application.ports import Notification

_QUEUE = insert(OutboxRow)  # built once: its cache key is computed once, and the compiled form reused


class SqlaBuyingOutbox(SqlaOutbox):
    """Every checkout and payment queues two notices or more, in one call; the ORM's add and flush cost more.

    Everything else (the list the development console reads after commit, the relay's queries) is the
    shared outbox's.
    """

    async def notify(self, *notifications: Notification) -> None:
        if not notifications:
            return
        self.written.extend(notifications)
        connection = await connection_of(self._session)
        now = self._now()
        await connection.execute(
            _QUEUE,
            [
                {
                    "recipient": notification.recipient,
                    "kind": notification.kind,
                    "payload": dict(notification.payload),
                    "created_at": now,
                    "sent_at": None,
                }
                for notification in notifications
            ],
        )
