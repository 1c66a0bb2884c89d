"""The stock ledger: one row per movement, never updated."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text

from adapters.postgres.errors import constraint_errors
from adapters.postgres.repository import SqlaRepository, column_values, entity_from
from adapters.postgres.tables import StockMovementRow
from application.ports import StockLedger
from domain.catalog.products import ProductId, StockMovement

_RECORD_ALL = text("""
    INSERT INTO stock_movements (id, product_id, delta, reason, actor_id, resulting_level, created_at)
    SELECT * FROM unnest(
        CAST(:id AS uuid[]), CAST(:product_id AS uuid[]), CAST(:delta AS integer[]), CAST(:reason AS text[]),
        CAST(:actor_id AS uuid[]), CAST(:resulting_level AS integer[]), CAST(:created_at AS timestamptz[])
    )
""")


class SqlaStockLedger(SqlaRepository[StockMovementRow], StockLedger):
    row_type = StockMovementRow

    async def record(self, movement: StockMovement) -> None:
        await self._add(StockMovementRow(**column_values(movement)))

    async def record_all(self, movements: Sequence[StockMovement]) -> None:
        if movements:
            with constraint_errors():
                # One statement with an array per column, whatever the number of movements.
                await self._session.execute(
                    _RECORD_ALL,
                    {
                        "id": [m.id for m in movements],
                        "product_id": [m.product_id for m in movements],
                        "delta": [m.delta for m in movements],
                        "reason": [m.reason for m in movements],
                        "actor_id": [m.actor_id for m in movements],
                        "resulting_level": [m.resulting_level for m in movements],
                        "created_at": [m.created_at for m in movements],
                    },
                )

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]:
        rows = await self._newest_first(
            StockMovementRow.id, StockMovementRow.product_id == product_id, after=None, limit=limit
        )
        return [entity_from(StockMovement, row) for row in rows]
