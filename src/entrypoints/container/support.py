"""The support context: the desk's tickets and its numbers, and the audit trail of staff actions."""

from __future__ import annotations

from adapters.postgres.support.unit_of_work import SqlaSupportUnitOfWork
from application.audit.list_audit_events import ListAuditEvents
from application.support.get_ticket import GetTicket
from application.support.list_tickets import ListTickets
from application.support.open_ticket import OpenTicket
from application.support.post_ticket_message import PostTicketMessage
from application.support.support_stats import GetSupportStats
from application.support.update_ticket import UpdateTicket
from entrypoints.container.adapters import Adapters


class SupportProvider:
    """The support desk's use cases of one process, each built once."""

    def __init__(self, adapters: Adapters) -> None:
        clock, ids = adapters.clock, adapters.ids

        def unit_of_work() -> SqlaSupportUnitOfWork:
            return SqlaSupportUnitOfWork(adapters.session_factory, clock.now)

        self.open_ticket = OpenTicket(unit_of_work=unit_of_work, clock=clock, ids=ids)
        self.list_tickets = ListTickets(unit_of_work=unit_of_work)
        self.get_ticket = GetTicket(unit_of_work=unit_of_work)
        self.post_ticket_message = PostTicketMessage(unit_of_work=unit_of_work, clock=clock, ids=ids)
        self.update_ticket = UpdateTicket(unit_of_work=unit_of_work, clock=clock)
        self.support_stats = GetSupportStats(unit_of_work=unit_of_work, clock=clock)
        self.list_audit_events = ListAuditEvents(unit_of_work=adapters.unit_of_work)
