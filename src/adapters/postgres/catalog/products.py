"""Products as their stores manage them; stock moves by one conditional UPDATE."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, ColumnElement, String, and_, any_, bindparam, literal, or_, select, text, update
from sqlalchemy.dialects import postgresql

from adapters.postgres.errors import constraint_errors
from adapters.postgres.patterns import escape_like
from adapters.postgres.repository import SqlaRepository, column_values, entity_from
from adapters.postgres.tables import ProductRow, StockMovementRow
from application.ports import ProductRepository
from domain.catalog.merchants import MerchantId
from domain.catalog.products import MAX_STOCK, Product, ProductId, ProductStatus
from domain.identity.roles import UserId
from domain.money import Currency, Money


def _product(row: ProductRow) -> Product:
    return entity_from(
        Product,
        row,
        price=Money(row.price_minor, Currency(row.currency)),
        images=tuple(row.images),
        status=ProductStatus(row.status),
    )


def _columns(product: Product, *, listed: bool, exclude: set[str]) -> dict[str, object]:
    """Every column but stock, which moves only through ``adjust_stock`` (and is set once, on creation)."""
    price = {"price_minor": product.price.amount_minor, "currency": product.price.currency.code}
    return {**column_values(product, exclude={"price", "stock", *exclude}), **price, "listed": listed}


_PRODUCT_COLUMNS = [
    getattr(ProductRow, name) for name in (*(f.name for f in fields(Product) if f.name != "price"), "price_minor")
] + [ProductRow.currency]
_TEXTS = ARRAY(String)

# Each column of the batch is one array parameter: one prepared statement whatever the batch size, and
# one INSERT .. ON CONFLICT DO UPDATE for PostgreSQL to run. Images travel as JSON (arrays of arrays
# cannot be unnested row by row). A product's suspension is never an import's business.
_PUT_ALL_COLUMNS = (
    "id",
    "merchant_id",
    "sku",
    "name",
    "description",
    "price_minor",
    "currency",
    "stock",
    "category_id",
    "images",
    "status",
    "listed",
    "created_at",
    "updated_at",
)
_PUT_ALL = text("""
    INSERT INTO products (
        id, merchant_id, sku, name, description, price_minor, currency, stock,
        category_id, images, status, listed, created_at, updated_at
    )
    SELECT id, merchant_id, sku, name, description, price_minor, currency, stock,
           category_id, ARRAY(SELECT jsonb_array_elements_text(images::jsonb)), status, listed, created_at, updated_at
    FROM unnest(
        CAST(:id AS uuid[]), CAST(:merchant_id AS uuid[]), CAST(:sku AS text[]), CAST(:name AS text[]),
        CAST(:description AS text[]), CAST(:price_minor AS bigint[]), CAST(:currency AS text[]),
        CAST(:stock AS integer[]), CAST(:category_id AS uuid[]), CAST(:images AS text[]), CAST(:status AS text[]),
        CAST(:listed AS boolean[]), CAST(:created_at AS timestamptz[]), CAST(:updated_at AS timestamptz[])
    ) AS batch(
        id, merchant_id, sku, name, description, price_minor, currency, stock,
        category_id, images, status, listed, created_at, updated_at
    )
    ON CONFLICT ON CONSTRAINT uq_products_merchant_sku DO UPDATE SET
        name = excluded.name, description = excluded.description, price_minor = excluded.price_minor,
        currency = excluded.currency, stock = excluded.stock, category_id = excluded.category_id,
        images = excluded.images, status = excluded.status, listed = excluded.listed,
        updated_at = excluded.updated_at
""")

_LISTABLE = and_(ProductRow.status == ProductStatus.ACTIVE.value, ProductRow.suspension_reason.is_(None))


class SqlaProductRepository(SqlaRepository[ProductRow], ProductRepository):
    row_type = ProductRow

    async def add(self, product: Product, *, listed: bool) -> None:
        await self._add(ProductRow(stock=product.stock, **_columns(product, listed=listed, exclude=set())))

    async def add_new(self, products: Sequence[Product], *, listed: bool) -> list[ProductId]:
        if not products:
            return []
        rows = [{"stock": product.stock, **_columns(product, listed=listed, exclude=set())} for product in products]
        # One multi-row INSERT; a SKU the store already uses is skipped, not an error (idempotent imports).
        statement = (
            postgresql.insert(ProductRow)
            .on_conflict_do_nothing(constraint="uq_products_merchant_sku")
            .returning(ProductRow.id)
        )
        with constraint_errors():
            added = await self._session.scalars(statement, rows)
            return [ProductId(product_id) for product_id in added]

    async def save(self, product: Product, *, listed: bool) -> None:
        await self._write(product.id, _columns(product, listed=listed, exclude={"id"}))

    async def of_skus(self, merchant_id: MerchantId, skus: Sequence[str], *, for_update: bool) -> list[Product]:
        if not skus:
            return []
        # Plain columns, not ORM entities: a batch of 500 rows is read without the identity map's cost.
        statement = (
            select(*_PRODUCT_COLUMNS)
            .where(ProductRow.merchant_id == merchant_id, ProductRow.sku == any_(bindparam("skus", type_=_TEXTS)))
            .order_by(ProductRow.id)
        )
        if for_update:
            # In id order, so that two imports of overlapping files lock in the same order (no deadlock).
            statement = statement.with_for_update()
        rows = await self._session.execute(statement, {"skus": list(skus)})
        return [_product(row) for row in rows.all()]  # type: ignore[arg-type]  # a Row has the columns' names

    async def put_all(self, products: Sequence[tuple[Product, bool]]) -> None:
        if not products:
            return
        columns: dict[str, list[Any]] = {name: [] for name in _PUT_ALL_COLUMNS}
        for product, listed in products:
            values = {"stock": product.stock, **_columns(product, listed=listed, exclude={"suspension_reason"})}
            values["images"] = json.dumps(values["images"])
            for name in _PUT_ALL_COLUMNS:
                columns[name].append(values[name])
        with constraint_errors():
            await self._session.execute(_PUT_ALL, columns)

    async def get(
        self, product_id: ProductId, *, merchant_id: MerchantId | None = None, for_update: bool = False
    ) -> Product | None:
        of_store = [ProductRow.merchant_id == merchant_id] if merchant_id is not None else []
        row = await self._one(*of_store, id=product_id, for_update=for_update)
        return _product(row) if row is not None else None

    async def list_for_store(
        self,
        merchant_id: MerchantId,
        *,
        status: ProductStatus | None,
        text: str | None,
        after: ProductId | None,
        limit: int,
    ) -> list[Product]:
        conditions: list[ColumnElement[bool]] = [ProductRow.merchant_id == merchant_id]
        if status is not None:
            conditions.append(ProductRow.status == status.value)
        if text:
            pattern = f"%{escape_like(text.strip())}%"
            conditions.append(
                or_(ProductRow.name.ilike(pattern, escape="\\"), ProductRow.sku.ilike(pattern, escape="\\"))
            )
        rows = await self._newest_first(ProductRow.id, *conditions, after=after, limit=limit)
        return [_product(row) for row in rows]

    async def adjust_stock(self, product_id: ProductId, delta: int, now: datetime) -> int | None:
        # One conditional UPDATE: concurrent movements serialise on the row, none leaves 0..MAX_STOCK.
        level = await self._session.scalar(
            update(ProductRow)
            .where(ProductRow.id == product_id, ProductRow.stock + delta >= 0, ProductRow.stock + delta <= MAX_STOCK)
            .values(stock=ProductRow.stock + delta, updated_at=now)
            .returning(ProductRow.stock)
        )
        return int(level) if level is not None else None

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
        level = await self.adjust_stock(product_id, delta, now)
        if level is not None:
            self._session.add(
                StockMovementRow(
                    id=movement_id,
                    product_id=product_id,
                    delta=delta,
                    reason=reason,
                    actor_id=actor_id,
                    resulting_level=level,
                    created_at=now,
                )
            )
            await self._flush()
        return level

    async def relist_store(self, merchant_id: MerchantId, *, store_open: bool) -> list[ProductId]:
        visible = and_(literal(store_open), _LISTABLE)
        rows = await self._session.scalars(
            update(ProductRow)
            .where(ProductRow.merchant_id == merchant_id, ProductRow.listed.is_distinct_from(visible))
            .values(listed=visible)
            .returning(ProductRow.id)
        )
        return [ProductId(product_id) for product_id in rows.all()]
