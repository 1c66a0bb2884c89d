"""The batch jobs' PostgreSQL side: the outbox relay's queue, the purge, the sales report's query.

Each method runs in a transaction of its own on the engine (see ``application.ports.jobs``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, delete, literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnClause, ColumnElement

from adapters.postgres.ordering.tables import IdempotencyKeyRow
from adapters.postgres.tables import ActivationCodeRow, OutboxRow, RefreshTokenRow, RevokedAccessTokenRow
from application.ports import Notification
from application.ports.jobs import ExpiredRecords, NotificationQueue, PendingNotification, SalesDay, SalesReader
from domain.catalog.merchants import MerchantId

OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]


class SqlaNotificationQueue(NotificationQueue):
    """The outbox table as the relay's work queue (claim with ``FOR UPDATE SKIP LOCKED``, lease, record)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, *, now: datetime, lease_until: datetime, limit: int) -> list[PendingNotification]:
        due = (
            select(OUTBOX.c.id)
            .where(
                OUTBOX.c.sent_at.is_(None),
                (OUTBOX.c.next_attempt_at.is_(None)) | (OUTBOX.c.next_attempt_at <= now),
            )
            .order_by(OUTBOX.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(due))
            .values(attempts=OUTBOX.c.attempts + 1, next_attempt_at=lease_until)
            .returning(OUTBOX.c.id, OUTBOX.c.recipient, OUTBOX.c.kind, OUTBOX.c.payload, OUTBOX.c.attempts)
        )
        async with self._engine.begin() as connection:
            rows = (await connection.execute(statement)).all()
        return sorted(
            (
                PendingNotification(
                    id=row.id,
                    notification=Notification(
                        recipient=row.recipient,
                        kind=row.kind,
                        payload={str(key): str(value) for key, value in row.payload.items()},
                    ),
                    attempt=row.attempts,
                )
                for row in rows
            ),
            key=lambda message: message.id,
        )

    async def mark_sent(self, message_id: UUID, *, at: datetime) -> bool:
        statement = (
            update(OUTBOX)
            .where(OUTBOX.c.id == message_id, OUTBOX.c.sent_at.is_(None))
            .values(sent_at=at, next_attempt_at=None, last_error=None)
        )
        async with self._engine.begin() as connection:
            result = await connection.execute(statement)
        return bool(result.rowcount)

    async def mark_failed(self, message_id: UUID, *, error: str, retry_at: datetime) -> None:
        statement = (
            update(OUTBOX)
            .where(OUTBOX.c.id == message_id, OUTBOX.c.sent_at.is_(None))
            .values(last_error=error, next_attempt_at=retry_at)
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)


class SqlaExpiredRecords(ExpiredRecords):
    """Batched deletes: ``DELETE ... WHERE ctid IN (SELECT ctid ... LIMIT n FOR UPDATE SKIP LOCKED)``.

    Skipping locked rows keeps the purge off rows a request is using right now; the next run takes them.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _delete(self, table: Table, condition: ColumnElement[bool], limit: int) -> int:
        ctid: ColumnClause[Any] = literal_column("ctid")
        batch = select(ctid).select_from(table).where(condition).limit(limit).with_for_update(skip_locked=True)
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(table).where(ctid.in_(batch)))
        return int(result.rowcount)

    async def _delete_earlier(self, column: InstrumentedAttribute[datetime], cutoff: datetime, limit: int) -> int:
        """Rows of ``column``'s table whose ``column`` is before ``cutoff``."""
        table: Table = column.class_.__table__
        return await self._delete(table, column < cutoff, limit)

    async def refresh_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return await self._delete_earlier(RefreshTokenRow.expires_at, cutoff, limit)

    async def revoked_access_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return await self._delete_earlier(RevokedAccessTokenRow.expires_at, cutoff, limit)

    async def idempotency_keys_kept_until_before(self, cutoff: datetime, *, limit: int) -> int:
        return await self._delete_earlier(IdempotencyKeyRow.keep_until, cutoff, limit)

    async def activation_codes_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return await self._delete_earlier(ActivationCodeRow.expires_at, cutoff, limit)

    async def notifications_sent_before(self, cutoff: datetime, *, limit: int) -> int:
        return await self._delete(OUTBOX, and_(OUTBOX.c.sent_at.is_not(None), OUTBOX.c.sent_at < cutoff), limit)


SALES_BY_DAY = text(
    """
    WITH days AS (
        SELECT day::date AS day FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') AS day
    ),
    documents AS (
        SELECT (issued_at AT TIME ZONE 'UTC')::date AS day, currency, kind, order_id, total_minor, tax_minor
        FROM invoices
        WHERE merchant_id = :merchant_id AND issued_at >= :starts AND issued_at < :ends
    ),
    sales AS (
        SELECT day, currency,
               count(*) FILTER (WHERE kind = 'invoice') AS orders,
               coalesce(sum(total_minor) FILTER (WHERE kind = 'invoice'), 0) AS gross_minor,
               coalesce(sum(tax_minor) FILTER (WHERE kind = 'invoice'), 0) AS tax_minor,
               coalesce(sum(total_minor) FILTER (WHERE kind = 'credit_note'), 0) AS refunds_minor
        FROM documents GROUP BY day, currency
    ),
    units AS (
        SELECT documents.day, documents.currency, sum(order_lines.quantity) AS units
        FROM documents JOIN order_lines ON order_lines.order_id = documents.order_id
        WHERE documents.kind = 'invoice'
        GROUP BY documents.day, documents.currency
    )
    SELECT days.day,
           coalesce(sales.currency, :currency) AS currency,
           coalesce(sales.orders, 0) AS orders,
           coalesce(units.units, 0) AS units,
           coalesce(sales.gross_minor, 0) AS gross_minor,
           coalesce(sales.tax_minor, 0) AS tax_minor,
           coalesce(sales.refunds_minor, 0) AS refunds_minor
    FROM days
    LEFT JOIN sales ON sales.day = days.day
    LEFT JOIN units ON units.day = sales.day AND units.currency = sales.currency
    ORDER BY days.day, currency
    """
)


class SqlaSalesReader(SalesReader):
    """Sales per day from the issued documents (invoices and credit notes), aggregated in one statement."""

    def __init__(self, engine: AsyncEngine, *, currency: str) -> None:
        self._engine = engine
        self._currency = currency

    async def sales_by_day(self, merchant_id: MerchantId, *, first: date, last: date) -> list[SalesDay]:
        params: dict[str, Any] = {
            "first": first,
            "last": last,
            "merchant_id": merchant_id,
            "starts": datetime.combine(first, time(), tzinfo=UTC),
            "ends": datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
            "currency": self._currency,
        }
        async with self._engine.connect() as connection:
            rows = (await connection.execute(SALES_BY_DAY, params)).all()
        return [
            SalesDay(
                day=row.day,
                currency=row.currency,
                orders=int(row.orders),
                units=int(row.units),
                gross_minor=int(row.gross_minor),
                tax_minor=int(row.tax_minor),
                refunds_minor=int(row.refunds_minor),
            )
            for row in rows
        ]
