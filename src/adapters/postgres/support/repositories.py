"""PostgreSQL repositories of the support desk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, cast, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import flush
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
from domain.catalog.merchants import MerchantId
from domain.identity.roles import UserId
from domain.support.tickets import (
    Ticket,
    TicketCategory,
    TicketId,
    TicketMessage,
    TicketMessageId,
    TicketPriority,
    TicketStatus,
)

UNRESOLVED = tuple(status.value for status in TicketStatus if status.is_unresolved)


def _ticket(row: TicketRow) -> Ticket:
    return Ticket(
        id=TicketId(row.id),
        requester_id=UserId(row.requester_id),
        merchant_id=MerchantId(row.merchant_id) if row.merchant_id else None,
        order_id=row.order_id,
        subject=row.subject,
        category=TicketCategory(row.category),
        status=TicketStatus(row.status),
        priority=TicketPriority(row.priority),
        assignee_id=UserId(row.assignee_id) if row.assignee_id else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        first_response_at=row.first_response_at,
        resolved_at=row.resolved_at,
    )


def _copy_ticket(ticket: Ticket, row: TicketRow) -> None:
    row.requester_id = ticket.requester_id
    row.merchant_id = ticket.merchant_id
    row.order_id = ticket.order_id
    row.subject = ticket.subject
    row.category = ticket.category.value
    row.status = ticket.status.value
    row.priority = ticket.priority.value
    row.assignee_id = ticket.assignee_id
    row.created_at = ticket.created_at
    row.updated_at = ticket.updated_at
    row.first_response_at = ticket.first_response_at
    row.resolved_at = ticket.resolved_at


class SqlaTicketRepository(TicketRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ticket: Ticket) -> None:
        row = TicketRow(id=ticket.id)
        _copy_ticket(ticket, row)
        self._session.add(row)
        await flush(self._session)

    async def save(self, ticket: Ticket) -> None:
        row = await self._session.get(TicketRow, ticket.id)
        if row is None:
            raise LookupError(f"ticket {ticket.id} was not loaded in this unit of work")
        _copy_ticket(ticket, row)
        await flush(self._session)

    async def get(self, ticket_id: TicketId, *, for_update: bool = False) -> Ticket | None:
        statement = select(TicketRow).where(TicketRow.id == ticket_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _ticket(row) if row is not None else None

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
        return [_ticket(row) for row in (await self._session.scalars(statement)).all()]


class SqlaTicketMessageRepository(TicketMessageRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: TicketMessage) -> None:
        self._session.add(
            TicketMessageRow(
                id=message.id,
                ticket_id=message.ticket_id,
                author_id=message.author_id,
                from_staff=message.from_staff,
                body=message.body,
                internal=message.internal,
                created_at=message.created_at,
            )
        )
        await flush(self._session)

    async def of_ticket(self, ticket_id: TicketId, *, include_internal: bool) -> list[TicketMessage]:
        statement = select(TicketMessageRow).where(TicketMessageRow.ticket_id == ticket_id)
        if not include_internal:
            statement = statement.where(TicketMessageRow.internal.is_(False))
        rows = (await self._session.scalars(statement.order_by(TicketMessageRow.id))).all()
        return [
            TicketMessage(
                id=TicketMessageId(row.id),
                ticket_id=TicketId(row.ticket_id),
                author_id=UserId(row.author_id),
                from_staff=row.from_staff,
                body=row.body,
                internal=row.internal,
                created_at=row.created_at,
            )
            for row in rows
        ]


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
