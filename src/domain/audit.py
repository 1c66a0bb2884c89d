"""The audit trail: what platform staff did, to what, and what it looked like before and after.

Events are facts: they are recorded once and never changed or removed (the
database refuses UPDATE and DELETE on them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.identity.roles import Actor, Role, UserId

Summary = Mapping[str, str | None]
"""A few named values of the subject (its status, its role...), as text."""


class SubjectType(StrEnum):
    MERCHANT = "merchant"
    PRODUCT = "product"
    USER = "user"
    ORDER = "order"
    TICKET = "ticket"


class AuditAction(StrEnum):
    MERCHANT_APPROVED = "merchant.approved"
    MERCHANT_SUSPENDED = "merchant.suspended"
    MERCHANT_REINSTATED = "merchant.reinstated"
    PRODUCT_SUSPENDED = "product.suspended"
    PRODUCT_REINSTATED = "product.reinstated"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_STATUS_CHANGED = "user.status_changed"
    ORDER_REFUNDED = "order.refunded"
    TICKET_ASSIGNED = "ticket.assigned"
    TICKET_STATUS_CHANGED = "ticket.status_changed"
    TICKET_PRIORITY_CHANGED = "ticket.priority_changed"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One staff action, recorded in the same transaction as the change it describes."""

    actor_id: UserId
    actor_role: Role
    action: AuditAction
    subject_type: SubjectType
    subject_id: UUID
    occurred_at: datetime
    before: Summary = field(default_factory=dict)
    after: Summary = field(default_factory=dict)
    request_id: str | None = None

    @classmethod
    def of(
        cls,
        actor: Actor,
        action: AuditAction,
        subject_type: SubjectType,
        subject_id: UUID,
        *,
        before: Summary,
        after: Summary,
        request_id: str | None,
        now: datetime,
    ) -> AuditEvent:
        return cls(
            actor_id=actor.user_id,
            actor_role=actor.role,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            occurred_at=now,
            before=dict(before),
            after=dict(after),
            request_id=request_id,
        )
