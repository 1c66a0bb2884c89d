"""The desk's numbers and the audit trail of staff actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import get
from litestar.params import QueryParameter

from application.audit.list_audit_events import ListAuditEventsQuery
from application.ports.audit import AuditFilter
from application.support.support_stats import SupportStatsQuery
from domain.audit import AuditAction, SubjectType
from domain.errors import InvalidValue, NotAllowed
from domain.identity.roles import UserId
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Support
from entrypoints.http.input import require_iso_datetimes
from entrypoints.http.shared import Cursor, Limit, Listing, StaffArea
from entrypoints.http.support.schemas import AuditEventPage, AuditEventResponse, SupportStatsResponse

AUDIT = Listing(name="audit", load=UUID, dump=str)
From = Annotated[datetime | None, QueryParameter(name="from", description="Inclusive, ISO 8601 with offset")]
To = Annotated[datetime | None, QueryParameter(name="to", description="Exclusive, ISO 8601 with offset")]


class SupportStatsController(StaffArea):
    path = "/admin/support/stats"

    @get(
        "/",
        operation_id="supportStats",
        responses=problems(NotAllowed, InvalidValue),
        summary="Tickets by status and category, median response times",
    )
    async def stats(
        self, request: ApiRequest, support: Support, opened_from: From = None, opened_to: To = None
    ) -> SupportStatsResponse:
        require_iso_datetimes(request, "from", "to")
        query = SupportStatsQuery(actor=request.actor, opened_from=opened_from, opened_to=opened_to)
        return SupportStatsResponse.of(await support.support_stats(query))


class AuditController(StaffArea):
    path = "/admin/audit"

    @get(
        "/",
        operation_id="listAuditEvents",
        responses=problems(NotAllowed, InvalidValue),
        summary="Staff actions, newest first (admin)",
    )
    async def list_events(
        self,
        request: ApiRequest,
        support: Support,
        acting: Annotated[UUID | None, QueryParameter(name="actor", description="Acting user's id")] = None,
        action: Annotated[AuditAction | None, QueryParameter()] = None,
        subject_type: Annotated[SubjectType | None, QueryParameter()] = None,
        subject_id: Annotated[UUID | None, QueryParameter()] = None,
        occurred_from: From = None,
        occurred_to: To = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AuditEventPage:
        require_iso_datetimes(request, "from", "to")
        audit_filter = AuditFilter(
            actor_id=UserId(acting) if acting else None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
        )
        pager = request.cursors.pager(AUDIT, cursor)
        page = await support.list_audit_events(
            ListAuditEventsQuery(actor=request.actor, audit_filter=audit_filter, after=pager.after, limit=limit)
        )
        return pager.respond(AuditEventPage, page, AuditEventResponse.of)
