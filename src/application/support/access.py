"""Who may see and work on which ticket. Decided here so HTTP, the CLI and the jobs share one rule."""

from __future__ import annotations

from application.catalog.access import store_membership
from application.ports.support import SupportUnitOfWork, TicketScope
from domain.errors import NotAllowed, NotFound
from domain.identity.roles import Actor
from domain.support.tickets import Ticket, TicketId


def no_such_ticket() -> NotFound:
    return NotFound("no such ticket")


def require_requester(actor: Actor) -> None:
    """Customers and the people of stores ask for help; platform staff give it."""
    if actor.role.is_staff:
        raise NotAllowed("platform staff answer tickets; they do not open them")


async def ticket_scope(uow: SupportUnitOfWork, actor: Actor) -> TicketScope:
    """Staff see every ticket; anyone else sees their own and, if they work for a store, the store's."""
    if actor.role.is_staff:
        return TicketScope()
    membership = await store_membership(uow, actor)
    return TicketScope(requester_id=actor.user_id, merchant_id=membership.merchant_id if membership else None)


def in_scope(ticket: Ticket, scope: TicketScope) -> bool:
    if scope.is_everyone:
        return True
    return ticket.requester_id == scope.requester_id or (
        scope.merchant_id is not None and ticket.merchant_id == scope.merchant_id
    )


async def visible_ticket(
    uow: SupportUnitOfWork, actor: Actor, ticket_id: TicketId, *, for_update: bool = False
) -> Ticket:
    """The ticket, if ``actor`` may see it; otherwise the same 404 as for a ticket that does not exist.

    Another store's staff learn nothing about a store's tickets, not even that they exist.
    """
    ticket = await uow.tickets.get(ticket_id, for_update=for_update)
    if ticket is None or not in_scope(ticket, await ticket_scope(uow, actor)):
        raise no_such_ticket()
    return ticket
