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
from uuid import UUID

from sqlalchemy import bindparam, select, text

from adapters.postgres.catalog import SqlaMerchantRepository, SqlaProductRepository
from adapters.postgres.errors import constraint_errors
from adapters.postgres.identity import SqlaUserRepository
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.tables import MerchantRow, UserRow
from domain.catalog.merchants import Merchant, MerchantId
from domain.catalog.products import MAX_STOCK, ProductId
from domain.identity.roles import UserId
from domain.identity.users import User


def _by_id(table: Any) -> dict[bool, Prepared]:
    """``SELECT * .. WHERE id = :id``, plain and ``FOR UPDATE``, built once."""
    statement = select(table).where(table.c.id == bindparam("id"))
    return {False: Prepared(statement), True: Prepared(statement.with_for_update())}


_USER = _by_id(UserRow.__table__)
_MERCHANT = _by_id(MerchantRow.__table__)
# One statement: the conditional UPDATE (concurrent movements serialise on the row, none leaves
# 0..MAX_STOCK) and, when it matched, the ledger row with the level it left.
_MOVE_STOCK = Prepared(
    text("""
    WITH moved AS (
        UPDATE products SET stock = stock + CAST(:delta AS integer), updated_at = CAST(:at AS timestamptz)
        WHERE id = CAST(:product_id AS uuid)
          AND stock + CAST(:delta AS integer) BETWEEN 0 AND CAST(:max_stock AS integer)
        RETURNING stock
    )
    INSERT INTO stock_movements (id, product_id, delta, reason, actor_id, resulting_level, created_at)
    SELECT CAST(:movement_id AS uuid), CAST(:product_id AS uuid), CAST(:delta AS integer), CAST(:reason AS text),
           CAST(:actor_id AS uuid), moved.stock, CAST(:at AS timestamptz)
    FROM moved
    RETURNING resulting_level
""")
)


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
    async def adjust_stock_and_record(
        self,
        product_id: ProductId,
        delta: int,
        now: datetime,
        *,
        movement_id: UUID,
        reason: str,
        actor_id: UserId | None,
    ) -> int | None:
        connection = await connection_of(self._session)
        parameters = {
            "product_id": product_id,
            "delta": delta,
            "at": now,
            "movement_id": movement_id,
            "reason": reason,
            "actor_id": actor_id,
            "max_stock": MAX_STOCK,
        }
        with constraint_errors():
            level = (await connection.execute(_MOVE_STOCK, parameters)).scalar()
        return int(level) if level is not None else None
