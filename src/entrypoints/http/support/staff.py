"""The desk's numbers and the audit trail of staff actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from application.audit.list_audit_events import ListAuditEvents, ListAuditEventsQuery
from application.ports.audit import AuditFilter
from application.support.support_stats import GetSupportStats, SupportStatsQuery
from domain.audit import AuditAction, SubjectType
from domain.identity.roles import Actor, UserId
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.support.schemas import AuditEventPage, AuditEventResponse, SupportStatsResponse

From = Annotated[datetime | None, QueryParameter(query="from", description="Inclusive, ISO 8601 with offset")]
To = Annotated[datetime | None, QueryParameter(query="to", description="Exclusive, ISO 8601 with offset")]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(max_length=512, description="next_cursor of the previous page")]


class SupportStatsController(Controller):
    path = "/admin/support/stats"
    tags = ["staff"]
    security = BEARER

    @get("/", operation_id="supportStats", summary="Tickets by status and category, median response times (staff)")
    async def stats(
        self,
        actor: NamedDependency[Actor],
        support_stats: NamedDependency[GetSupportStats],
        opened_from: From = None,
        opened_to: To = None,
    ) -> SupportStatsResponse:
        stats = await support_stats(SupportStatsQuery(actor=actor, opened_from=opened_from, opened_to=opened_to))
        return SupportStatsResponse.of(stats)


class AuditController(Controller):
    path = "/admin/audit"
    tags = ["staff"]
    security = BEARER

    @get("/", operation_id="listAuditEvents", summary="Staff actions, newest first (admin)")
    async def list_events(
        self,
        actor: NamedDependency[Actor],
        list_audit_events: NamedDependency[ListAuditEvents],
        cursors: NamedDependency[CursorCodec],
        acting: Annotated[UUID | None, QueryParameter(query="actor", description="Acting user's id")] = None,
        action: Annotated[AuditAction | None, QueryParameter()] = None,
        subject_type: Annotated[SubjectType | None, QueryParameter()] = None,
        subject_id: Annotated[UUID | None, QueryParameter()] = None,
        occurred_from: From = None,
        occurred_to: To = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AuditEventPage:
        audit_filter = AuditFilter(
            actor_id=UserId(acting) if acting else None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
        )
        after = UUID(cursors.decode("audit", cursor)["after"]) if cursor else None
        page = await list_audit_events(
            ListAuditEventsQuery(actor=actor, audit_filter=audit_filter, after=after, limit=limit)
        )
        next_cursor = cursors.encode("audit", {"after": str(page.last_id)}) if page.last_id else None
        return AuditEventPage(
            items=[AuditEventResponse.of(recorded) for recorded in page.items], next_cursor=next_cursor
        )
