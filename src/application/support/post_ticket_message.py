"""Use case: write in a ticket's conversation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports import Clock, IdGenerator, Notification
from application.ports.support import SupportUnitOfWork
from application.support.access import visible_ticket
from application.use_case import use_case
from domain.errors import NotAllowed
from domain.identity.roles import Actor
from domain.support.tickets import TicketId, TicketMessage, TicketMessageId, message_body

TICKET_REPLY = "ticket_reply"
"""The outbox kind of a public reply from the desk to the requester."""


@dataclass(frozen=True, slots=True)
class PostTicketMessageCommand:
    actor: Actor
    ticket_id: TicketId
    body: str
    internal: bool = False


@use_case
class PostTicketMessage:
    """Add a message to a ticket.

    Rules: whoever may see the ticket may write in it; nobody writes in a
    closed ticket (409). Internal notes are for platform staff (403 for
    anyone else) and never reach the requester. A public reply from staff is
    the ticket's first response if none came before, and is sent to the
    requester through the outbox, in the same transaction. A reply from the
    requester's side moves a pending or resolved ticket back to ``open``.
    """

    unit_of_work: Callable[[], SupportUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, command: PostTicketMessageCommand) -> TicketMessage:
        from_staff = command.actor.role.is_staff
        if command.internal and not from_staff:
            raise NotAllowed("only platform staff write internal notes")
        body = message_body(command.body)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            ticket = await visible_ticket(uow, command.actor, command.ticket_id, for_update=True)
            if from_staff:
                ticket.reply_from_staff(internal=command.internal, now=now)
            else:
                ticket.reply_from_requester(now)
            message = TicketMessage(
                id=TicketMessageId(self.ids.new_id()),
                ticket_id=ticket.id,
                author_id=command.actor.user_id,
                from_staff=from_staff,
                body=body,
                internal=command.internal,
                created_at=now,
            )
            await uow.ticket_messages.add(message)
            await uow.tickets.save(ticket)
            if from_staff and not command.internal:
                requester = await uow.users.get(ticket.requester_id)
                if requester is not None:
                    await uow.outbox.notify(
                        Notification(
                            recipient=requester.email.value,
                            kind=TICKET_REPLY,
                            payload={"ticket_id": str(ticket.id), "subject": ticket.subject, "body": body},
                        )
                    )
            await uow.commit()
        return message
