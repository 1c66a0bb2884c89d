"""Use case: list the tickets the actor may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from application.pagination import Page, PageRequest
from application.ports.support import SupportUnitOfWork, TicketFilter
from application.support.access import ticket_scope
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.support.tickets import Ticket, TicketId


@dataclass(frozen=True, slots=True)
class ListTicketsQuery(PageRequest[TicketId]):
    actor: Actor
    ticket_filter: TicketFilter = field(default_factory=TicketFilter)


TicketPage = Page[Ticket, TicketId]


@use_case
class ListTickets:
    """A keyset page of tickets, newest first or as the oldest-open work queue.

    Rules: platform staff see every ticket and may filter by status,
    assignee, category, requester and store. Anyone else sees only their own
    tickets and their store's; the same filters narrow that, never widen it.
    """

    unit_of_work: Callable[[], SupportUnitOfWork]

    async def __call__(self, query: ListTicketsQuery) -> TicketPage:
        async with self.unit_of_work() as uow:
            scope = await ticket_scope(uow, query.actor)
            rows = await uow.tickets.list(scope, query.ticket_filter, after=query.after, limit=query.size + 1)
        return query.page(rows, lambda ticket: ticket.id)
