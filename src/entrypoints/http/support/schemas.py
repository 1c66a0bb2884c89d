"""Wire formats of the support desk and the audit trail (msgspec Structs; the core never sees them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from application.ports.audit import RecordedAuditEvent
from application.ports.support import SupportStats
from application.support.get_ticket import TicketConversation
from domain.audit import AuditAction, SubjectType
from domain.identity.roles import Role
from domain.support.tickets import (
    BODY_LENGTH,
    SUBJECT_LENGTH,
    Ticket,
    TicketCategory,
    TicketMessage,
    TicketPriority,
    TicketStatus,
)
from entrypoints.http.input import line, multiline
from entrypoints.http.shared import Copied, RequestBody, copy_into

Subject = Annotated[str, line(max_length=SUBJECT_LENGTH[1] * 2, description="3 to 200 characters")]
Body = Annotated[str, multiline(max_length=BODY_LENGTH[1] * 2, description="1 to 5000 characters")]


class OpenTicketRequest(RequestBody):
    subject: Subject
    body: Body
    category: TicketCategory
    order_id: Annotated[UUID | None, Meta(description="An order of yours (as buyer or as its store's staff)")] = None


class TicketMessageRequest(RequestBody):
    body: Body
    internal: Annotated[bool, Meta(description="A note for platform staff only (support, admin)")] = False


class TicketUpdate(RequestBody):
    """Only the fields sent change; ``assignee_id: null`` hands the ticket back to the queue."""

    status: TicketStatus | UnsetType = UNSET
    assignee_id: UUID | UnsetType | None = UNSET
    priority: TicketPriority | UnsetType = UNSET


class TicketResponse(Copied):
    id: UUID
    requester_id: UUID
    merchant_id: UUID | None
    order_id: UUID | None
    subject: str
    category: TicketCategory
    status: TicketStatus
    priority: TicketPriority
    assignee_id: UUID | None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None


class TicketMessageResponse(Copied):
    id: UUID
    author_id: UUID
    from_staff: bool
    body: str
    internal: bool
    created_at: datetime


class TicketDetail(msgspec.Struct):
    """A ticket and its conversation, oldest message first."""

    ticket: TicketResponse
    messages: list[TicketMessageResponse]

    @classmethod
    def of(cls, ticket: Ticket, messages: list[TicketMessage]) -> TicketDetail:
        return cls(ticket=TicketResponse.of(ticket), messages=[TicketMessageResponse.of(m) for m in messages])

    @classmethod
    def of_conversation(cls, conversation: TicketConversation) -> TicketDetail:
        return cls.of(conversation.ticket, conversation.messages)


class TicketPage(msgspec.Struct):
    items: list[TicketResponse]
    next_cursor: str | None


class SupportStatsResponse(msgspec.Struct):
    opened_from: datetime
    opened_to: datetime
    opened: int
    by_status: dict[TicketStatus, int]
    by_category: dict[TicketCategory, int]
    by_priority: dict[TicketPriority, int]
    median_first_response_seconds: float | None
    median_resolution_seconds: float | None

    @classmethod
    def of(cls, stats: SupportStats) -> SupportStatsResponse:
        return copy_into(
            cls,
            stats,
            by_status={status: stats.by_status.get(status, 0) for status in TicketStatus},
            by_category={category: stats.by_category.get(category, 0) for category in TicketCategory},
            by_priority={priority: stats.by_priority.get(priority, 0) for priority in TicketPriority},
        )


class AuditEventResponse(msgspec.Struct):
    id: UUID
    actor_id: UUID
    actor_role: Role
    action: AuditAction
    subject_type: SubjectType
    subject_id: UUID
    before: dict[str, str | None]
    after: dict[str, str | None]
    request_id: str | None
    occurred_at: datetime

    @classmethod
    def of(cls, recorded: RecordedAuditEvent) -> AuditEventResponse:
        return copy_into(cls, recorded.event, id=recorded.id)


class AuditEventPage(msgspec.Struct):
    items: list[AuditEventResponse]
    next_cursor: str | None
