"""The audit trail in PostgreSQL: rows inserted in the acting use case's transaction, never changed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.support.tables import AuditEventRow
from application.ports.audit import AuditFilter, AuditLog, RecordedAuditEvent
from domain.audit import AuditAction, AuditEvent, SubjectType, Summary
from domain.identity.roles import Role, UserId


def _summary(values: dict[str, Any]) -> Summary:
    return {str(key): None if value is None else str(value) for key, value in values.items()}


def _recorded(row: AuditEventRow) -> RecordedAuditEvent:
    return RecordedAuditEvent(
        id=row.id,
        event=AuditEvent(
            actor_id=UserId(row.actor_id),
            actor_role=Role(row.actor_role),
            action=AuditAction(row.action),
            subject_type=SubjectType(row.subject_type),
            subject_id=row.subject_id,
            occurred_at=row.occurred_at,
            before=_summary(row.before),
            after=_summary(row.after),
            request_id=row.request_id,
        ),
    )


class SqlaAuditLog(AuditLog):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event: AuditEvent) -> None:
        # A plain INSERT, not the ORM's unit of work: no later flush can turn it into an UPDATE.
        await self._session.execute(
            insert(AuditEventRow).values(
                actor_id=event.actor_id,
                actor_role=event.actor_role.value,
                action=event.action.value,
                subject_type=event.subject_type.value,
                subject_id=event.subject_id,
                before=dict(event.before),
                after=dict(event.after),
                request_id=event.request_id,
                occurred_at=event.occurred_at,
            )
        )

    async def list(self, audit_filter: AuditFilter, *, after: UUID | None, limit: int) -> list[RecordedAuditEvent]:
        wanted = audit_filter
        statement = select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(limit)
        if wanted.actor_id is not None:
            statement = statement.where(AuditEventRow.actor_id == wanted.actor_id)
        if wanted.action is not None:
            statement = statement.where(AuditEventRow.action == wanted.action.value)
        if wanted.subject_type is not None:
            statement = statement.where(AuditEventRow.subject_type == wanted.subject_type.value)
        if wanted.subject_id is not None:
            statement = statement.where(AuditEventRow.subject_id == wanted.subject_id)
        if wanted.occurred_from is not None:
            statement = statement.where(AuditEventRow.occurred_at >= wanted.occurred_from)
        if wanted.occurred_to is not None:
            statement = statement.where(AuditEventRow.occurred_at < wanted.occurred_to)
        if after is not None:
            statement = statement.where(AuditEventRow.id < after)
        return [_recorded(row) for row in (await self._session.scalars(statement)).all()]
