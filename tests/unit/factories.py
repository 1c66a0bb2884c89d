"""polyfactory factories of domain objects, for tests that need many of them in arbitrary states."""

from __future__ import annotations

from datetime import timedelta

from polyfactory import Use
from polyfactory.factories import DataclassFactory

from domain.support.tickets import Ticket, TicketStatus
from tests.unit.fakes import START


class TicketFactory(DataclassFactory[Ticket]):
    """A ticket opened at ``START``, untouched since, unless a test says otherwise."""

    __check_model__ = True

    subject = Use(lambda: "My parcel never arrived")
    status = Use(lambda: TicketStatus.OPEN)
    created_at = Use(lambda: START)
    updated_at = Use(lambda: START)
    first_response_at = None
    resolved_at = None
    assignee_id = None

    @classmethod
    def resolved(cls, after: timedelta = timedelta(hours=1)) -> Ticket:
        return cls.build(status=TicketStatus.RESOLVED, resolved_at=START + after, first_response_at=START + after)
