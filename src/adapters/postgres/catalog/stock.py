"""The stock ledger: one row per movement, never updated."""

from __future__ import annotations

from adapters.postgres.repository import SqlaRepository, column_values, entity_from
from adapters.postgres.tables import StockMovementRow
from application.ports import StockLedger
from domain.catalog.products import ProductId, StockMovement


class SqlaStockLedger(SqlaRepository[StockMovementRow], StockLedger):
    row_type = StockMovementRow

    async def record(self, movement: StockMovement) -> None:
        await self._add(StockMovementRow(**column_values(movement)))

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]:
        rows = await self._newest_first(
            StockMovementRow.id, StockMovementRow.product_id == product_id, after=None, limit=limit
        )
        return [entity_from(StockMovement, row) for row in rows]
