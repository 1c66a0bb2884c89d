"""Who an order belongs to, read from the buying side's table for the support desk."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.ordering.tables import OrderRow
from application.ports.support import OrderOwnership, OrderParties
from domain.catalog.merchants import MerchantId
from domain.identity.roles import UserId


class SqlaOrderOwnership(OrderOwnership):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def parties(self, order_id: UUID) -> OrderParties | None:
        row = (
            await self._session.execute(select(OrderRow.buyer_id, OrderRow.merchant_id).where(OrderRow.id == order_id))
        ).one_or_none()
        if row is None:
            return None
        return OrderParties(order_id=order_id, buyer_id=UserId(row.buyer_id), merchant_id=MerchantId(row.merchant_id))
