"""The outbox as buying writes it: the same rows, one prepared Core INSERT for the notices of a call."""

from __future__ import annotations

import json

from sqlalchemy import text
from uuid_utils.compat import uuid7

from adapters.postgres.identity import SqlaOutbox
from adapters.postgres.ordering.core import Prepared, connection_of
from application.ports import Notification

# Built once, one array per column: the same prepared statement whatever the number of notices (an
# executemany of a plain INSERT cost more than the statement itself). Ids are UUIDv7, as the ORM's.
_QUEUE = Prepared(
    text("""
    INSERT INTO notifications_outbox (id, recipient, kind, payload, created_at)
    SELECT n.id, n.recipient, n.kind, CAST(n.payload AS jsonb), CAST(:created_at AS timestamptz)
    FROM unnest(CAST(:ids AS uuid[]), CAST(:recipients AS text[]), CAST(:kinds AS text[]), CAST(:payloads AS text[]))
        AS n(id, recipient, kind, payload)
""")
)


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
        await connection.execute(
            _QUEUE,
            {
                "ids": [uuid7() for _ in notifications],
                "recipients": [notification.recipient for notification in notifications],
                "kinds": [notification.kind for notification in notifications],
                "payloads": [json.dumps(dict(notification.payload)) for notification in notifications],
                "created_at": self._now(),
            },
        )
