"""Use case: list the tickets the actor may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from application.pagination import keyset_page
from application.ports.support import SupportUnitOfWork, TicketFilter
from application.support.access import ticket_scope
from domain.identity.roles import Actor
from domain.support.tickets import Ticket, TicketId

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class ListTicketsQuery:
    actor: Actor
    ticket_filter: TicketFilter = field(default_factory=TicketFilter)
    after: TicketId | None = None
    limit: int = 20


@dataclass(frozen=True, slots=True)
class TicketPage:
    items: list[Ticket]
    last_id: TicketId | None


class ListTickets:
    """A keyset page of tickets, newest first or as the oldest-open work queue.

    Rules: platform staff see every ticket and may filter by status,
    assignee, category, requester and store. Anyone else sees only their own
    tickets and their store's; the same filters narrow that, never widen it.
    """

    def __init__(self, *, unit_of_work: Callable[[], SupportUnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    async def __call__(self, query: ListTicketsQuery) -> TicketPage:
        limit = max(1, min(query.limit, MAX_PAGE))
        async with self._unit_of_work() as uow:
            scope = await ticket_scope(uow, query.actor)
            rows = await uow.tickets.list(scope, query.ticket_filter, after=query.after, limit=limit + 1)
        items, last_id = keyset_page(rows, limit, lambda ticket: ticket.id)
        return TicketPage(items=items, last_id=last_id)
