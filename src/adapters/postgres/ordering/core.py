"""Core statements on the unit of work's connection, for buying's hot path (ADR 0016).

Buying's repositories map rows to domain objects themselves and never rely on
the ORM's identity map, so their statements skip the session: no flush, no
unit-of-work bookkeeping, no evaluation of updates against loaded objects. The
statement still runs in the unit of work's transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_CONNECTION = "commerce.buying.connection"


async def connection_of(session: AsyncSession) -> AsyncConnection:
    """The session's connection, in its transaction (begun here if need be).

    Kept in the session's ``info`` between statements: asking the session every time went through its
    transaction bookkeeping for each statement. A commit, a rollback or a lost connection closes or
    invalidates it, and the next statement asks the session again.
    """
    connection: AsyncConnection | None = session.info.get(_CONNECTION)
    if connection is None or connection.closed or connection.invalidated:
        connection = await session.connection()
        session.info[_CONNECTION] = connection
    return connection
