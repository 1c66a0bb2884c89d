"""The support desk's unit of work: the shared one, plus the desk's repositories on the same session."""

from __future__ import annotations

from typing import Self

from adapters.postgres.support.orders import SqlaOrderOwnership
from adapters.postgres.support.repositories import (
    SqlaSupportStats,
    SqlaTicketMessageRepository,
    SqlaTicketRepository,
)
from adapters.postgres.unit_of_work import SqlaUnitOfWork
from application.ports.support import SupportUnitOfWork


class SqlaSupportUnitOfWork(SqlaUnitOfWork, SupportUnitOfWork):
    tickets: SqlaTicketRepository
    ticket_messages: SqlaTicketMessageRepository
    support_stats: SqlaSupportStats
    order_ownership: SqlaOrderOwnership

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        session = self.session
        self.tickets = SqlaTicketRepository(session)
        self.ticket_messages = SqlaTicketMessageRepository(session)
        self.support_stats = SqlaSupportStats(session)
        self.order_ownership = SqlaOrderOwnership(session)
        return self
