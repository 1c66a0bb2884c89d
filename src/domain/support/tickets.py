"""Support tickets and their conversation.

A ticket moves ``open`` → ``pending`` (waiting on the requester) → ``resolved``
→ ``closed``, in any order staff choose, except that ``closed`` is final. The
requester's side can only talk: a reply reopens a resolved ticket and brings
a pending one back to ``open``. The first public reply from staff stamps
``first_response_at``; resolving stamps ``resolved_at`` (the times the desk
is measured by).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId

TicketId = NewType("TicketId", UUID)
TicketMessageId = NewType("TicketMessageId", UUID)

SUBJECT_LENGTH = (3, 200)
BODY_LENGTH = (1, 5_000)


class TicketStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_unresolved(self) -> bool:
        """Still waiting on the desk or on the requester: the work queue."""
        return self in (TicketStatus.OPEN, TicketStatus.PENDING)


class TicketCategory(StrEnum):
    ORDER = "order"
    PAYMENT = "payment"
    ACCOUNT = "account"
    CATALOG = "catalog"
    OTHER = "other"


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


def ticket_subject(raw: str) -> str:
    subject = " ".join(raw.split())
    low, high = SUBJECT_LENGTH
    if not low <= len(subject) <= high:
        raise InvalidValue(f"a subject has {low} to {high} characters", field="subject", rule="subject_length")
    return subject


def message_body(raw: str) -> str:
    body = raw.strip()
    low, high = BODY_LENGTH
    if not low <= len(body) <= high:
        raise InvalidValue(f"a message has {low} to {high} characters", field="body", rule="body_length")
    return body


def _closed() -> Conflict:
    return Conflict("the ticket is closed; open a new one", field="status")


@dataclass(frozen=True, slots=True)
class TicketMessage:
    """One message of a ticket's conversation. ``internal`` notes are for platform staff only."""

    id: TicketMessageId
    ticket_id: TicketId
    author_id: UserId
    from_staff: bool
    body: str
    internal: bool
    created_at: datetime


@dataclass(slots=True)
class Ticket:
    """A request for help.

    ``merchant_id`` is the store the requester worked for when opening it:
    the store's people share its tickets. ``order_id`` is the order it is
    about, if any (checked to be the requester's by the use case).
    """

    id: TicketId
    requester_id: UserId
    merchant_id: MerchantId | None
    order_id: UUID | None
    subject: str
    category: TicketCategory
    status: TicketStatus
    priority: TicketPriority
    assignee_id: UserId | None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None

    @classmethod
    def open(
        cls,
        *,
        id: TicketId,
        requester_id: UserId,
        merchant_id: MerchantId | None,
        order_id: UUID | None,
        subject: str,
        category: TicketCategory,
        now: datetime,
    ) -> Ticket:
        return cls(
            id=id,
            requester_id=requester_id,
            merchant_id=merchant_id,
            order_id=order_id,
            subject=ticket_subject(subject),
            category=category,
            status=TicketStatus.OPEN,
            priority=TicketPriority.NORMAL,
            assignee_id=None,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_closed(self) -> bool:
        return self.status is TicketStatus.CLOSED

    def reply_from_requester(self, now: datetime) -> None:
        """The requester's side wrote: the ball is back with the desk."""
        if self.is_closed:
            raise _closed()
        if self.status is not TicketStatus.OPEN:
            self.status = TicketStatus.OPEN
            self.resolved_at = None
        self.updated_at = now

    def reply_from_staff(self, *, internal: bool, now: datetime) -> None:
        """Staff wrote; only a public reply counts as the first response."""
        if self.is_closed:
            raise _closed()
        if not internal and self.first_response_at is None:
            self.first_response_at = now
        self.updated_at = now

    def move_to(self, status: TicketStatus, now: datetime) -> None:
        """Staff set the status. Closing keeps the resolution time, or stamps it if never resolved."""
        if self.is_closed:
            raise _closed()
        if status is self.status:
            return
        self.status = status
        if status is TicketStatus.RESOLVED or (status is TicketStatus.CLOSED and self.resolved_at is None):
            self.resolved_at = now
        elif status.is_unresolved:
            self.resolved_at = None
        self.updated_at = now

    def assign_to(self, assignee_id: UserId | None, now: datetime) -> None:
        """Give the ticket to a staff member (who that may be is the use case's rule), or to nobody."""
        if self.is_closed:
            raise _closed()
        self.assignee_id = assignee_id
        self.updated_at = now

    def prioritise(self, priority: TicketPriority, now: datetime) -> None:
        if self.is_closed:
            raise _closed()
        self.priority = priority
        self.updated_at = now
