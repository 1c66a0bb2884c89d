"""In-memory fakes of the support desk's ports, on top of the shared fake unit of work."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from application.ports.support import (
    OrderOwnership,
    OrderParties,
    SupportStats,
    SupportStatsReader,
    SupportUnitOfWork,
    TicketFilter,
    TicketMessageRepository,
    TicketRepository,
    TicketScope,
    TicketSort,
)
from application.support.access import in_scope
from application.support.get_ticket import GetTicket
from application.support.list_tickets import ListTickets
from application.support.open_ticket import OpenTicket
from application.support.post_ticket_message import PostTicketMessage
from application.support.support_stats import GetSupportStats
from application.support.update_ticket import UpdateTicket
from domain.catalog.merchants import MerchantId
from domain.identity.roles import UserId
from domain.support.tickets import Ticket, TicketId, TicketMessage
from tests.unit.fakes import Database, FakeClock, FakeUnitOfWork, IdentityWorld, SequentialIds


@dataclass
class SupportTables:
    tickets: dict[TicketId, Ticket] = field(default_factory=dict)
    messages: list[TicketMessage] = field(default_factory=list)

    def copy(self) -> SupportTables:
        return SupportTables(
            tickets={key: replace(ticket) for key, ticket in self.tickets.items()}, messages=list(self.messages)
        )


class InMemoryTickets(TicketRepository):
    def __init__(self, uow: FakeSupportUnitOfWork) -> None:
        self._uow = uow

    async def add(self, ticket: Ticket) -> None:
        self._uow.support_pending.tickets[ticket.id] = replace(ticket)

    async def save(self, ticket: Ticket) -> None:
        self._uow.support_pending.tickets[ticket.id] = replace(ticket)

    async def get(self, ticket_id: TicketId, *, for_update: bool = False) -> Ticket | None:
        ticket = self._uow.support_pending.tickets.get(ticket_id)
        return replace(ticket) if ticket else None

    async def list(
        self, scope: TicketScope, ticket_filter: TicketFilter, *, after: TicketId | None, limit: int
    ) -> list[Ticket]:
        wanted = ticket_filter
        oldest_first = wanted.sort is TicketSort.OLDEST_OPEN
        rows = [
            replace(ticket)
            for ticket in self._uow.support_pending.tickets.values()
            if in_scope(ticket, scope)
            and (wanted.status is None or ticket.status is wanted.status)
            and (wanted.status is not None or not oldest_first or ticket.status.is_unresolved)
            and (wanted.assignee_id is None or ticket.assignee_id == wanted.assignee_id)
            and (wanted.category is None or ticket.category is wanted.category)
            and (wanted.requester_id is None or ticket.requester_id == wanted.requester_id)
            and (wanted.merchant_id is None or ticket.merchant_id == wanted.merchant_id)
            and (after is None or (ticket.id > after if oldest_first else ticket.id < after))
        ]
        return sorted(rows, key=lambda ticket: ticket.id, reverse=not oldest_first)[:limit]


class InMemoryTicketMessages(TicketMessageRepository):
    def __init__(self, uow: FakeSupportUnitOfWork) -> None:
        self._uow = uow

    async def add(self, message: TicketMessage) -> None:
        self._uow.support_pending.messages.append(message)

    async def of_ticket(self, ticket_id: TicketId, *, include_internal: bool) -> list[TicketMessage]:
        return [
            message
            for message in self._uow.support_pending.messages
            if message.ticket_id == ticket_id and (include_internal or not message.internal)
        ]


class InMemorySupportStats(SupportStatsReader):
    def __init__(self, uow: FakeSupportUnitOfWork) -> None:
        self._uow = uow

    async def stats(self, *, opened_from: datetime, opened_to: datetime) -> SupportStats:
        tickets = [
            ticket
            for ticket in self._uow.support_pending.tickets.values()
            if opened_from <= ticket.created_at < opened_to
        ]
        first = [(t.first_response_at - t.created_at).total_seconds() for t in tickets if t.first_response_at]
        resolved = [(t.resolved_at - t.created_at).total_seconds() for t in tickets if t.resolved_at]
        return SupportStats(
            opened_from=opened_from,
            opened_to=opened_to,
            opened=len(tickets),
            by_status=dict(Counter(ticket.status for ticket in tickets)),
            by_category=dict(Counter(ticket.category for ticket in tickets)),
            by_priority=dict(Counter(ticket.priority for ticket in tickets)),
            median_first_response_seconds=statistics.median(first) if first else None,
            median_resolution_seconds=statistics.median(resolved) if resolved else None,
        )


class InMemoryOrders(OrderOwnership):
    """The buying side as the desk sees it: who bought each order, and which store sold it."""

    def __init__(self) -> None:
        self.orders: dict[UUID, OrderParties] = {}

    def add(self, order_id: UUID, buyer_id: UserId, merchant_id: MerchantId) -> None:
        self.orders[order_id] = OrderParties(order_id=order_id, buyer_id=buyer_id, merchant_id=merchant_id)

    async def parties(self, order_id: UUID) -> OrderParties | None:
        return self.orders.get(order_id)


class FakeSupportUnitOfWork(FakeUnitOfWork, SupportUnitOfWork):
    """The shared fake plus the desk's tables; only ``commit`` writes them back."""

    def __init__(
        self, database: Database, support: SupportTables, orders: InMemoryOrders, ids: SequentialIds, clock: FakeClock
    ) -> None:
        super().__init__(database, ids, clock)
        self.support = support
        self.support_pending = support.copy()
        self.tickets = InMemoryTickets(self)
        self.ticket_messages = InMemoryTicketMessages(self)
        self.support_stats = InMemorySupportStats(self)
        self.order_ownership = orders

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.support_pending = self.support.copy()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await super().__aexit__(exc_type, exc, traceback)
        self.support_pending = self.support.copy()

    async def commit(self) -> None:
        await super().commit()
        committed = self.support_pending.copy()
        self.support.tickets = committed.tickets
        self.support.messages = committed.messages


class SupportWorld(IdentityWorld):
    """The identity world plus every support use case, wired to fakes."""

    def __init__(self) -> None:
        super().__init__()
        self.support = SupportTables()
        self.orders = InMemoryOrders()
        self.open_ticket = OpenTicket(unit_of_work=self.support_unit_of_work, clock=self.clock, ids=self.ids)
        self.list_tickets = ListTickets(unit_of_work=self.support_unit_of_work)
        self.get_ticket = GetTicket(unit_of_work=self.support_unit_of_work)
        self.post_message = PostTicketMessage(unit_of_work=self.support_unit_of_work, clock=self.clock, ids=self.ids)
        self.update_ticket = UpdateTicket(unit_of_work=self.support_unit_of_work, clock=self.clock)
        self.stats = GetSupportStats(unit_of_work=self.support_unit_of_work, clock=self.clock)

    def support_unit_of_work(self) -> FakeSupportUnitOfWork:
        return FakeSupportUnitOfWork(self.database, self.support, self.orders, self.ids, self.clock)
