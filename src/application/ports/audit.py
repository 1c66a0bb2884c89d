"""Port of the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.audit import AuditAction, AuditEvent, SubjectType
from domain.identity.roles import UserId


@dataclass(frozen=True, slots=True)
class RecordedAuditEvent:
    """An event as the trail keeps it: with the id it was filed under."""

    id: UUID
    event: AuditEvent


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor_id: UserId | None = None
    action: AuditAction | None = None
    subject_type: SubjectType | None = None
    subject_id: UUID | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


class AuditLog(Protocol):
    """The append-only record of staff actions.

    ``record`` writes in the unit of work's own transaction, so an action and
    its event commit (or roll back) together. There is no way to change or
    remove an event.
    """

    async def record(self, event: AuditEvent) -> None: ...

    async def list(self, audit_filter: AuditFilter, *, after: UUID | None, limit: int) -> list[RecordedAuditEvent]:
        """Newest first; ``after`` is the last id of the previous page; ``occurred_to`` is exclusive."""
        ...
