"""The stock ledger: one row per movement, never updated."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.dialects import postgresql

from adapters.postgres.errors import constraint_errors
from adapters.postgres.repository import SqlaRepository, column_values, entity_from
from adapters.postgres.tables import StockMovementRow
from application.ports import StockLedger
from domain.catalog.products import ProductId, StockMovement


class SqlaStockLedger(SqlaRepository[StockMovementRow], StockLedger):
    row_type = StockMovementRow

    async def record(self, movement: StockMovement) -> None:
        await self._add(StockMovementRow(**column_values(movement)))

    async def record_all(self, movements: Sequence[StockMovement]) -> None:
        if movements:
            with constraint_errors():
                await self._session.execute(
                    postgresql.insert(StockMovementRow), [column_values(movement) for movement in movements]
                )

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]:
        rows = await self._newest_first(
            StockMovementRow.id, StockMovementRow.product_id == product_id, after=None, limit=limit
        )
        return [entity_from(StockMovement, row) for row in rows]
