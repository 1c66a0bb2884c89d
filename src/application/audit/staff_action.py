"""``StaffAction``: the base of every command the audit trail records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.audit import AuditAction, AuditEvent, SubjectType, Summary
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class StaffAction:
    """Who acts, and the request the action came in (keyword only): both are kept on its audit event."""

    actor: Actor
    request_id: str | None = field(default=None, kw_only=True)

    def audit_event(
        self,
        action: AuditAction,
        subject_type: SubjectType,
        subject_id: UUID,
        *,
        before: Summary,
        after: Summary,
        now: datetime,
    ) -> AuditEvent:
        return AuditEvent.of(
            self.actor,
            action,
            subject_type,
            subject_id,
            before=before,
            after=after,
            request_id=self.request_id,
            now=now,
        )
