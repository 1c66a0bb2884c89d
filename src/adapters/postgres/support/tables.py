"""ORM tables of the support desk and the audit trail, on the shared metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from adapters.postgres.checks import one_of

TICKET_STATUSES = ("open", "pending", "resolved", "closed")
TICKET_CATEGORIES = ("order", "payment", "account", "catalog", "other")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")


class TicketRow(UUIDv7Base):
    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(one_of("status", TICKET_STATUSES), name="status_known"),
        CheckConstraint(one_of("category", TICKET_CATEGORIES), name="category_known"),
        CheckConstraint(one_of("priority", TICKET_PRIORITIES), name="priority_known"),
        CheckConstraint(
            "(status IN ('resolved', 'closed')) = (resolved_at IS NOT NULL)", name="resolved_at_when_resolved"
        ),
        Index("ix_tickets_status_id", "status", "id"),
        Index("ix_tickets_requester_id_id", "requester_id", "id"),
        Index("ix_tickets_merchant_id_id", "merchant_id", "id"),
        Index("ix_tickets_assignee_id_id", "assignee_id", "id"),
        Index("ix_tickets_created_at", "created_at"),
    )

    requester_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    merchant_id: Mapped[UUID | None] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"))
    order_id: Mapped[UUID | None] = mapped_column()
    subject: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    assignee_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    first_response_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class TicketMessageRow(UUIDv7Base):
    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_ticket_id_id", "ticket_id", "id"),)

    ticket_id: Mapped[UUID] = mapped_column(ForeignKey("tickets.id", ondelete="RESTRICT"))
    author_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    from_staff: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class AuditEventRow(UUIDv7Base):
    """Append-only: a trigger (migration 0005) refuses UPDATE and DELETE.

    ``actor_id`` has no foreign key on purpose: the trail outlives accounts,
    and the CLI's operator is not an account.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_actor_id_id", "actor_id", "id"),
        Index("ix_audit_events_action_id", "action", "id"),
        Index("ix_audit_events_subject", "subject_type", "subject_id", "id"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    actor_id: Mapped[UUID] = mapped_column()
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[UUID] = mapped_column()
    before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
