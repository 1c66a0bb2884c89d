"""Use case: a customer or a store's staff member asks the desk for help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from application.ports import Clock, IdGenerator
from application.ports.support import SupportUnitOfWork
from application.support.access import require_requester
from application.use_case import use_case
from domain.errors import NotFound
from domain.identity.roles import Actor
from domain.support.tickets import Ticket, TicketCategory, TicketId, TicketMessage, TicketMessageId, message_body


@dataclass(frozen=True, slots=True)
class OpenTicketCommand:
    actor: Actor
    subject: str
    body: str
    category: TicketCategory
    order_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class OpenedTicket:
    ticket: Ticket
    message: TicketMessage


@use_case
class OpenTicket:
    """Open a ticket, its body the first message of the conversation.

    Rules: customers, store managers and store staff open tickets (platform
    staff do not: 403). A ticket about an order must be about the requester's
    order, as its buyer or as staff of the store that sold it; any other
    order is a 404, as if it did not exist. The ticket belongs to the
    requester's store when they work for one, so the store's people share it.
    It starts ``open``, priority ``normal``, unassigned.
    """

    unit_of_work: Callable[[], SupportUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, command: OpenTicketCommand) -> OpenedTicket:
        require_requester(command.actor)
        body = message_body(command.body)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            membership = await uow.memberships.of_user(command.actor.user_id)
            store = membership.merchant_id if membership else None
            if command.order_id is not None:
                parties = await uow.order_ownership.parties(command.order_id)
                is_buyer = parties is not None and parties.buyer_id == command.actor.user_id
                is_seller = parties is not None and store is not None and parties.merchant_id == store
                if not (is_buyer or is_seller):
                    raise NotFound("no such order", field="order_id")
            ticket = Ticket.open(
                id=TicketId(self.ids.new_id()),
                requester_id=command.actor.user_id,
                merchant_id=store,
                order_id=command.order_id,
                subject=command.subject,
                category=command.category,
                now=now,
            )
            message = TicketMessage(
                id=TicketMessageId(self.ids.new_id()),
                ticket_id=ticket.id,
                author_id=command.actor.user_id,
                from_staff=False,
                body=body,
                internal=False,
                created_at=now,
            )
            await uow.tickets.add(ticket)
            await uow.ticket_messages.add(message)
            await uow.commit()
        return OpenedTicket(ticket=ticket, message=message)
