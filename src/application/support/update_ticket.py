"""Use case: the desk assigns, prioritises and moves a ticket through its statuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.identity.policies import require_staff
from application.ports import Clock
from application.ports.support import SupportUnitOfWork
from application.support.access import no_such_ticket
from application.use_case import use_case
from domain.audit import AuditAction, AuditEvent, SubjectType
from domain.errors import InvalidValue
from domain.identity.roles import UserId
from domain.support.tickets import Ticket, TicketId, TicketPriority, TicketStatus


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who should work on the ticket; ``None`` hands it back to the queue."""

    assignee_id: UserId | None


@dataclass(frozen=True, slots=True)
class UpdateTicketCommand(StaffAction):
    """Only the parts given change; ``None`` leaves a part as it is."""

    ticket_id: TicketId
    status: TicketStatus | None = None
    assignment: Assignment | None = None
    priority: TicketPriority | None = None


@use_case
class UpdateTicket:
    """Platform staff change a ticket's assignee, priority or status, all or nothing.

    Rules: support agents and admins only (403). The assignee must be an
    active support agent or admin (422 naming ``assignee_id``). A closed
    ticket is final (409). Each part that actually changes is a staff action
    and leaves one audit event (``ticket.assigned``,
    ``ticket.priority_changed``, ``ticket.status_changed``) in the same
    transaction; a part set to its current value changes nothing and leaves
    none.
    """

    unit_of_work: Callable[[], SupportUnitOfWork]
    clock: Clock

    async def __call__(self, command: UpdateTicketCommand) -> Ticket:
        require_staff(command.actor)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            if command.assignment is not None and command.assignment.assignee_id is not None:
                assignee = await uow.users.get(command.assignment.assignee_id)
                if assignee is None or not assignee.is_active or not assignee.role.is_staff:
                    raise InvalidValue(
                        "tickets are assigned to active support agents or admins",
                        field="assignee_id",
                        rule="assignee_is_staff",
                    )
            ticket = await uow.tickets.get(command.ticket_id, for_update=True)
            if ticket is None:
                raise no_such_ticket()
            events: list[AuditEvent] = []

            def audit(action: AuditAction, part: str, before: str | None, after: str | None) -> None:
                events.append(
                    command.audit_event(
                        action, SubjectType.TICKET, ticket.id, before={part: before}, after={part: after}, now=now
                    )
                )

            if command.assignment is not None and command.assignment.assignee_id != ticket.assignee_id:
                before = ticket.assignee_id
                ticket.assign_to(command.assignment.assignee_id, now)
                audit(AuditAction.TICKET_ASSIGNED, "assignee_id", _text(before), _text(ticket.assignee_id))
            if command.priority is not None and command.priority is not ticket.priority:
                before_priority = ticket.priority
                ticket.prioritise(command.priority, now)
                audit(AuditAction.TICKET_PRIORITY_CHANGED, "priority", before_priority, ticket.priority)
            if command.status is not None and command.status is not ticket.status:
                before_status = ticket.status
                ticket.move_to(command.status, now)
                audit(AuditAction.TICKET_STATUS_CHANGED, "status", before_status, ticket.status)
            if events:
                await uow.tickets.save(ticket)
                for event in events:
                    await uow.audit.record(event)
                await uow.commit()
        return ticket


def _text(user_id: UserId | None) -> str | None:
    return str(user_id) if user_id is not None else None
