"""The catalog as buying sees it: sellable units and each store's commission terms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import any_, bindparam, cast, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import StoreCommissionRateRow
from adapters.postgres.tables import ProductRow
from application.ports.ordering import (
    Sellable,
    SellableUnits,
    StoreTerms,
)
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.money import Currency, Money
from domain.ordering.pricing import Rate

# ``= ANY(array)``, not ``IN (..)``: one statement text whatever the number of ids, prepared once.
_IDS = cast(bindparam("ids"), ARRAY(UUID(as_uuid=True)))
_SELLABLES = Prepared(
    select(
        ProductRow.id,
        ProductRow.merchant_id,
        ProductRow.sku,
        ProductRow.name,
        ProductRow.price_minor,
        ProductRow.currency,
        ProductRow.stock,
        ProductRow.listed,
    ).where(ProductRow.id == any_(_IDS))
)  # built once: every cart change and checkout reads it

_RATES = Prepared(
    select(StoreCommissionRateRow.merchant_id, StoreCommissionRateRow.rate_bp).where(
        StoreCommissionRateRow.merchant_id == any_(_IDS)
    )
)  # built once


class SqlaSellableUnits(SellableUnits):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, product_ids: Sequence[ProductId]) -> dict[ProductId, Sellable]:
        if not product_ids:
            return {}
        connection = await connection_of(self._session)
        rows = await connection.execute(_SELLABLES, {"ids": list(product_ids)})
        return {
            ProductId(row.id): Sellable(
                product_id=ProductId(row.id),
                merchant_id=MerchantId(row.merchant_id),
                sku=row.sku,
                name=row.name,
                price=Money(row.price_minor, Currency(row.currency)),
                stock=row.stock,
                listed=row.listed,  # the catalog's one visibility flag (ADR 0005)
            )
            for row in rows.all()
        }

    async def stock_levels(self, product_ids: Sequence[ProductId]) -> dict[ProductId, int]:
        connection = await connection_of(self._session)
        rows = await connection.execute(select(ProductRow.id, ProductRow.stock).where(ProductRow.id.in_(product_ids)))
        return {ProductId(product_id): stock for product_id, stock in rows.all()}


class SqlaStoreTerms(StoreTerms):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commission_rates(self, merchant_ids: Sequence[MerchantId]) -> dict[MerchantId, Rate]:
        if not merchant_ids:
            return {}
        connection = await connection_of(self._session)
        rows = await connection.execute(_RATES, {"ids": list(merchant_ids)})
        return {MerchantId(merchant_id): Rate(rate) for merchant_id, rate in rows.all()}

    async def set_commission_rate(self, merchant_id: MerchantId, rate: Rate, now: datetime) -> None:
        with constraint_errors():
            await self._session.execute(
                insert(StoreCommissionRateRow)
                .values(merchant_id=merchant_id, rate_bp=rate.basis_points, updated_at=now)
                .on_conflict_do_update(
                    index_elements=[StoreCommissionRateRow.merchant_id],
                    set_={"rate_bp": rate.basis_points, "updated_at": now},
                )
            )
