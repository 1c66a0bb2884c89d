"""The stock ledger: one row per movement, never updated."""

from __future__ import annotations

from adapters.postgres.repository import SqlaRepository
from adapters.postgres.tables import StockMovementRow
from application.ports import StockLedger
from domain.catalog.products import ProductId, StockMovement
from domain.identity.roles import UserId


class SqlaStockLedger(SqlaRepository[StockMovementRow], StockLedger):
    row_type = StockMovementRow

    async def record(self, movement: StockMovement) -> None:
        await self._add(
            StockMovementRow(
                id=movement.id,
                product_id=movement.product_id,
                delta=movement.delta,
                reason=movement.reason,
                actor_id=movement.actor_id,
                resulting_level=movement.resulting_level,
                created_at=movement.created_at,
            )
        )

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]:
        rows = await self._newest_first(
            StockMovementRow.id, StockMovementRow.product_id == product_id, after=None, limit=limit
        )
        return [
            StockMovement(
                id=row.id,
                product_id=ProductId(row.product_id),
                delta=row.delta,
                reason=row.reason,
                actor_id=UserId(row.actor_id) if row.actor_id else None,
                resulting_level=row.resulting_level,
                created_at=row.created_at,
            )
            for row in rows
        ]
