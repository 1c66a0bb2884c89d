"""The merchants' append-only ledger and the balance it sums to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import case, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import (
    MerchantLedgerEntryRow,
    OrderRow,
)
from application.ports.ordering import (
    Balance,
    MerchantLedger,
)
from domain.catalog.merchants import MerchantId
from domain.money import Currency, Money
from domain.ordering.ledger import EntryKind, LedgerEntry
from domain.ordering.orders import OrderId, OrderStatus

# Built once, one array per column: a payment's entries (sale and commission) in one statement, not an
# executemany of one round trip per entry.
_RECORD = Prepared(
    text("""
    INSERT INTO merchant_ledger_entries (id, merchant_id, order_id, kind, amount_minor, currency, created_at)
    SELECT * FROM unnest(
        CAST(:ids AS uuid[]), CAST(:merchant_ids AS uuid[]), CAST(:order_ids AS uuid[]), CAST(:kinds AS text[]),
        CAST(:amounts AS bigint[]), CAST(:currencies AS text[]), CAST(:created_ats AS timestamptz[])
    )
""")
)


class SqlaMerchantLedger(MerchantLedger):
    def __init__(self, session: AsyncSession, currency: Currency) -> None:
        self._session = session
        self._currency = currency

    async def record(self, entries: Sequence[LedgerEntry]) -> None:
        if not entries:
            return
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _RECORD,
                {
                    "ids": [entry.id for entry in entries],
                    "merchant_ids": [entry.merchant_id for entry in entries],
                    "order_ids": [entry.order_id for entry in entries],
                    "kinds": [entry.kind.value for entry in entries],
                    "amounts": [entry.amount_minor for entry in entries],
                    "currencies": [entry.currency.code for entry in entries],
                    "created_ats": [entry.created_at for entry in entries],
                },
            )

    async def balance(self, merchant_id: MerchantId, *, available_before: datetime) -> Balance:
        available = (OrderRow.status == OrderStatus.DELIVERED.value) & (OrderRow.delivered_at < available_before)
        row = (
            await self._session.execute(
                select(
                    func.coalesce(func.sum(case((available, 0), else_=MerchantLedgerEntryRow.amount_minor)), 0),
                    func.coalesce(func.sum(case((available, MerchantLedgerEntryRow.amount_minor), else_=0)), 0),
                )
                .join(OrderRow, OrderRow.id == MerchantLedgerEntryRow.order_id)
                .where(MerchantLedgerEntryRow.merchant_id == merchant_id)
            )
        ).one()
        return Balance(pending=Money(int(row[0]), self._currency), available=Money(int(row[1]), self._currency))

    async def entries(self, merchant_id: MerchantId, *, after: UUID | None, limit: int) -> list[LedgerEntry]:
        statement = (
            select(MerchantLedgerEntryRow)
            .where(MerchantLedgerEntryRow.merchant_id == merchant_id)
            .order_by(MerchantLedgerEntryRow.id.desc())
            .limit(limit)
        )
        if after is not None:
            statement = statement.where(MerchantLedgerEntryRow.id < after)
        return [
            LedgerEntry(
                id=row.id,
                merchant_id=MerchantId(row.merchant_id),
                order_id=OrderId(row.order_id),
                kind=EntryKind(row.kind),
                amount_minor=row.amount_minor,
                currency=Currency(row.currency),
                created_at=row.created_at,
            )
            for row in (await self._session.scalars(statement)).all()
        ]
