"""Ports of the support desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from application.ports.unit_of_work import UnitOfWork
from domain.catalog.merchants import MerchantId
from domain.identity.roles import UserId
from domain.support.tickets import (
    Ticket,
    TicketCategory,
    TicketId,
    TicketMessage,
    TicketPriority,
    TicketStatus,
)


class TicketSort(StrEnum):
    NEWEST = "newest"
    OLDEST_OPEN = "oldest_open"
    """The work queue: unresolved tickets (unless a status is asked for), oldest first."""


@dataclass(frozen=True, slots=True)
class TicketScope:
    """Whose tickets a listing may show: everyone's (platform staff), or a requester's and their store's."""

    requester_id: UserId | None = None
    merchant_id: MerchantId | None = None

    @property
    def is_everyone(self) -> bool:
        return self.requester_id is None and self.merchant_id is None


@dataclass(frozen=True, slots=True)
class TicketFilter:
    status: TicketStatus | None = None
    assignee_id: UserId | None = None
    category: TicketCategory | None = None
    requester_id: UserId | None = None
    merchant_id: MerchantId | None = None
    sort: TicketSort = TicketSort.NEWEST


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def save(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: TicketId, *, for_update: bool = False) -> Ticket | None: ...

    async def list(
        self, scope: TicketScope, ticket_filter: TicketFilter, *, after: TicketId | None, limit: int
    ) -> list[Ticket]:
        """In ``ticket_filter.sort`` order; ``after`` is the last id of the previous page."""
        ...


class TicketMessageRepository(Protocol):
    async def add(self, message: TicketMessage) -> None: ...

    async def of_ticket(self, ticket_id: TicketId, *, include_internal: bool) -> list[TicketMessage]:
        """The conversation, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class SupportStats:
    """Tickets opened in a period: how many by status and category, and how fast the desk was (seconds)."""

    opened_from: datetime
    opened_to: datetime
    opened: int
    by_status: dict[TicketStatus, int] = field(default_factory=dict)
    by_category: dict[TicketCategory, int] = field(default_factory=dict)
    by_priority: dict[TicketPriority, int] = field(default_factory=dict)
    median_first_response_seconds: float | None = None
    median_resolution_seconds: float | None = None


class SupportStatsReader(Protocol):
    async def stats(self, *, opened_from: datetime, opened_to: datetime) -> SupportStats:
        """Over the tickets created in ``[opened_from, opened_to)``."""
        ...


@dataclass(frozen=True, slots=True)
class OrderParties:
    """Who an order belongs to: the buyer, and the store that sold it."""

    order_id: UUID
    buyer_id: UserId
    merchant_id: MerchantId


class OrderOwnership(Protocol):
    """Asks the buying side who an order belongs to, without the support desk knowing orders."""

    async def parties(self, order_id: UUID) -> OrderParties | None: ...


class SupportUnitOfWork(UnitOfWork, Protocol):
    """The shared unit of work plus the support desk's repositories, on one transaction."""

    tickets: TicketRepository
    ticket_messages: TicketMessageRepository
    support_stats: SupportStatsReader
    order_ownership: OrderOwnership
