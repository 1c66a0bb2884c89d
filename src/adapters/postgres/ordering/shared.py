"""The shared repositories buying touches (accounts, stores, stock), on prepared Core statements.

Every checkout and payment reads the buyer and each store and moves stock: through advanced-alchemy
and the ORM session, each of those rebuilt its statement, generated its cache key and went through
the session's bookkeeping on every call. Buying never loads these rows as ORM objects nor changes
them through the session, so nothing in its unit of work can be stale for a Core statement: these
subclasses run module-level statements on the unit of work's connection, in its transaction, and
map the rows exactly as the shared repositories do. Everything else is the shared repositories'.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, insert, select, update

from adapters.postgres.catalog import SqlaMerchantRepository, SqlaProductRepository, SqlaStockLedger
from adapters.postgres.errors import constraint_errors
from adapters.postgres.identity import SqlaUserRepository
from adapters.postgres.ordering.core import connection_of
from adapters.postgres.repository import column_values
from adapters.postgres.tables import MerchantRow, ProductRow, StockMovementRow, UserRow
from domain.catalog.merchants import Merchant, MerchantId
from domain.catalog.products import MAX_STOCK, ProductId, StockMovement
from domain.identity.roles import UserId
from domain.identity.users import User


def _by_id(table: Any) -> dict[bool, Any]:
    """``SELECT * .. WHERE id = :id``, plain and ``FOR UPDATE``, built once."""
    statement = select(table).where(table.c.id == bindparam("id"))
    return {False: statement, True: statement.with_for_update()}


_USER = _by_id(UserRow.__table__)
_MERCHANT = _by_id(MerchantRow.__table__)
_DELTA: BindParameter[int] = bindparam("delta")
# One conditional UPDATE: concurrent movements serialise on the row, none leaves 0..MAX_STOCK.
_ADJUST_STOCK = (
    update(ProductRow)
    .where(
        ProductRow.id == bindparam("product_id"),
        ProductRow.stock + _DELTA >= 0,
        ProductRow.stock + _DELTA <= MAX_STOCK,
    )
    .values(stock=ProductRow.stock + _DELTA, updated_at=bindparam("at"))
    .returning(ProductRow.stock)
)
_RECORD = insert(StockMovementRow)


class SqlaBuyingUsers(SqlaUserRepository):
    async def get(self, user_id: UserId, *, for_update: bool = False) -> User | None:
        connection = await connection_of(self._session)
        row = (await connection.execute(_USER[for_update], {"id": user_id})).first()
        return self._entity(row) if row is not None else None


class SqlaBuyingMerchants(SqlaMerchantRepository):
    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None:
        connection = await connection_of(self._session)
        row = (await connection.execute(_MERCHANT[for_update], {"id": merchant_id})).first()
        return self._entity(row) if row is not None else None


class SqlaBuyingProducts(SqlaProductRepository):
    async def adjust_stock(self, product_id: ProductId, delta: int, now: datetime) -> int | None:
        connection = await connection_of(self._session)
        level = (
            await connection.execute(_ADJUST_STOCK, {"product_id": product_id, "delta": delta, "at": now})
        ).scalar()
        return int(level) if level is not None else None


class SqlaBuyingStockLedger(SqlaStockLedger):
    async def record(self, movement: StockMovement) -> None:
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(_RECORD, column_values(movement))
