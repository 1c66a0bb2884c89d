"""PostgreSQL repositories of the support desk."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Float, and_, cast, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.repository import Converters, SqlaEntityRepository, SqlaRepository, column_values, entity_from
from adapters.postgres.support.tables import TicketMessageRow, TicketRow
from application.ports.support import (
    SupportStats,
    SupportStatsReader,
    TicketFilter,
    TicketMessageRepository,
    TicketRepository,
    TicketScope,
    TicketSort,
)
from domain.support.tickets import Ticket, TicketCategory, TicketId, TicketMessage, TicketPriority, TicketStatus

UNRESOLVED = tuple(status.value for status in TicketStatus if status.is_unresolved)


class SqlaTicketRepository(SqlaEntityRepository[TicketRow, Ticket], TicketRepository):
    row_type = TicketRow
    entity_type = Ticket
    converters: ClassVar[Converters] = {"category": TicketCategory, "status": TicketStatus, "priority": TicketPriority}

    async def get(self, ticket_id: TicketId, *, for_update: bool = False) -> Ticket | None:
        return await self._find(id=ticket_id, for_update=for_update)

    async def list(
        self, scope: TicketScope, ticket_filter: TicketFilter, *, after: TicketId | None, limit: int
    ) -> list[Ticket]:
        wanted = ticket_filter
        oldest_first = wanted.sort is TicketSort.OLDEST_OPEN
        order = TicketRow.id.asc() if oldest_first else TicketRow.id.desc()
        statement = select(TicketRow).order_by(order).limit(limit)
        if not scope.is_everyone:
            mine = TicketRow.requester_id == scope.requester_id
            statement = statement.where(
                or_(mine, TicketRow.merchant_id == scope.merchant_id) if scope.merchant_id else mine
            )
        if wanted.status is not None:
            statement = statement.where(TicketRow.status == wanted.status.value)
        elif oldest_first:
            statement = statement.where(TicketRow.status.in_(UNRESOLVED))
        if wanted.assignee_id is not None:
            statement = statement.where(TicketRow.assignee_id == wanted.assignee_id)
        if wanted.category is not None:
            statement = statement.where(TicketRow.category == wanted.category.value)
        if wanted.requester_id is not None:
            statement = statement.where(TicketRow.requester_id == wanted.requester_id)
        if wanted.merchant_id is not None:
            statement = statement.where(TicketRow.merchant_id == wanted.merchant_id)
        if after is not None:
            statement = statement.where(TicketRow.id > after if oldest_first else TicketRow.id < after)
        return [self._entity(row) for row in (await self._session.scalars(statement)).all()]


class SqlaTicketMessageRepository(SqlaRepository[TicketMessageRow], TicketMessageRepository):
    row_type = TicketMessageRow

    async def add(self, message: TicketMessage) -> None:
        await self._add(TicketMessageRow(**column_values(message)))

    async def of_ticket(self, ticket_id: TicketId, *, include_internal: bool) -> list[TicketMessage]:
        statement = select(TicketMessageRow).where(TicketMessageRow.ticket_id == ticket_id)
        if not include_internal:
            statement = statement.where(TicketMessageRow.internal.is_(False))
        rows = (await self._session.scalars(statement.order_by(TicketMessageRow.id))).all()
        return [entity_from(TicketMessage, row) for row in rows]


def _median_seconds(until: Any) -> Any:
    """The median of ``until - created_at`` in seconds; tickets where ``until`` is NULL are left out."""
    seconds = extract("epoch", until - TicketRow.created_at)
    return cast(func.percentile_cont(0.5).within_group(seconds), Float)


class SqlaSupportStats(SupportStatsReader):
    """Two statements: the counts per (status, category, priority), and both medians."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def stats(self, *, opened_from: datetime, opened_to: datetime) -> SupportStats:
        period = and_(TicketRow.created_at >= opened_from, TicketRow.created_at < opened_to)
        groups = (
            await self._session.execute(
                select(TicketRow.status, TicketRow.category, TicketRow.priority, func.count())
                .where(period)
                .group_by(TicketRow.status, TicketRow.category, TicketRow.priority)
            )
        ).all()
        by_status: dict[TicketStatus, int] = {}
        by_category: dict[TicketCategory, int] = {}
        by_priority: dict[TicketPriority, int] = {}
        for status, category, priority, count in groups:
            by_status[TicketStatus(status)] = by_status.get(TicketStatus(status), 0) + count
            by_category[TicketCategory(category)] = by_category.get(TicketCategory(category), 0) + count
            by_priority[TicketPriority(priority)] = by_priority.get(TicketPriority(priority), 0) + count
        medians = (
            await self._session.execute(
                select(
                    _median_seconds(TicketRow.first_response_at),
                    _median_seconds(TicketRow.resolved_at),
                ).where(period)
            )
        ).one()
        return SupportStats(
            opened_from=opened_from,
            opened_to=opened_to,
            opened=sum(by_status.values()),
            by_status=by_status,
            by_category=by_category,
            by_priority=by_priority,
            median_first_response_seconds=medians[0],
            median_resolution_seconds=medians[1],
        )
