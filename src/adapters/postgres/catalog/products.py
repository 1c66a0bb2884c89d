"""Products as their stores manage them; stock moves by one conditional UPDATE."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, literal, or_, update
from sqlalchemy.dialects import postgresql

from adapters.postgres.errors import constraint_errors
from adapters.postgres.patterns import escape_like
from adapters.postgres.repository import SqlaRepository, column_values, entity_from
from adapters.postgres.tables import ProductRow
from application.ports import ProductRepository
from domain.catalog.merchants import MerchantId
from domain.catalog.products import MAX_STOCK, Product, ProductId, ProductStatus
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

    async def relist_store(self, merchant_id: MerchantId, *, store_open: bool) -> list[ProductId]:
        visible = and_(literal(store_open), _LISTABLE)
        rows = await self._session.scalars(
            update(ProductRow)
            .where(ProductRow.merchant_id == merchant_id, ProductRow.listed.is_distinct_from(visible))
            .values(listed=visible)
            .returning(ProductRow.id)
        )
        return [ProductId(product_id) for product_id in rows.all()]
