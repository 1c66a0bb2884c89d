"""Use case: a ticket with its conversation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports.support import SupportUnitOfWork
from application.support.access import visible_ticket
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.support.tickets import Ticket, TicketId, TicketMessage


@dataclass(frozen=True, slots=True)
class GetTicketQuery:
    actor: Actor
    ticket_id: TicketId


@dataclass(frozen=True, slots=True)
class TicketConversation:
    ticket: Ticket
    messages: list[TicketMessage]


@use_case
class GetTicket:
    """A ticket and its messages, oldest first.

    Rules: only those who may see the ticket (its requester, their store's
    people, platform staff); anyone else gets a 404. Internal notes are shown
    to platform staff only.
    """

    unit_of_work: Callable[[], SupportUnitOfWork]

    async def __call__(self, query: GetTicketQuery) -> TicketConversation:
        async with self.unit_of_work() as uow:
            ticket = await visible_ticket(uow, query.actor, query.ticket_id)
            messages = await uow.ticket_messages.of_ticket(ticket.id, include_internal=query.actor.role.is_staff)
        return TicketConversation(ticket=ticket, messages=messages)
