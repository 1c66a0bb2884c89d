"""PostgreSQL carts: a cart is its lines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import CartLineRow, StoreCommissionRateRow
from adapters.postgres.tables import ProductRow
from application.ports.ordering import CartRepository, PricedCart, Sellable
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.cart import Cart, CartLine, SellableUnit
from domain.ordering.pricing import Rate

# Built once: every cart change and every checkout run them.
_LINES = Prepared(select(CartLineRow.__table__).where(CartLineRow.buyer_id == bindparam("buyer_id")))
_CART_LINES = CartLineRow.__table__
# A checkout's one read: each line with its product (if it still exists) and the store's agreed rate (if any).
_PRICED = Prepared(
    select(
        _CART_LINES,
        ProductRow.id.label("unit_id"),
        ProductRow.merchant_id,
        ProductRow.sku.label("unit_sku"),
        ProductRow.name,
        ProductRow.price_minor,
        ProductRow.currency.label("unit_currency"),
        ProductRow.stock,
        ProductRow.listed,
        StoreCommissionRateRow.rate_bp,
    )
    .select_from(_CART_LINES)
    .outerjoin(ProductRow, ProductRow.id == CartLineRow.product_id)
    .outerjoin(StoreCommissionRateRow, StoreCommissionRateRow.merchant_id == ProductRow.merchant_id)
    .where(CartLineRow.buyer_id == bindparam("buyer_id"))
)
# Saving replaces the lines in one statement: the lines the cart no longer has are deleted, the others
# upserted (the two sets are disjoint), one array per column, whatever the number of lines.
_REPLACE_LINES = Prepared(
    text("""
    WITH gone AS (
        DELETE FROM cart_lines
        WHERE buyer_id = CAST(:buyer_id AS uuid) AND NOT (product_id = ANY(CAST(:product_ids AS uuid[])))
    )
    INSERT INTO cart_lines (buyer_id, product_id, sku, quantity, unit_price_minor, currency, added_at)
    SELECT CAST(:buyer_id AS uuid), l.product_id, l.sku, l.quantity, l.unit_price_minor, l.currency, l.added_at
    FROM unnest(
        CAST(:product_ids AS uuid[]), CAST(:skus AS text[]), CAST(:quantities AS integer[]),
        CAST(:prices AS bigint[]), CAST(:currencies AS text[]), CAST(:added_ats AS timestamptz[])
    ) AS l(product_id, sku, quantity, unit_price_minor, currency, added_at)
    ON CONFLICT (buyer_id, product_id) DO UPDATE SET
        sku = EXCLUDED.sku, quantity = EXCLUDED.quantity, unit_price_minor = EXCLUDED.unit_price_minor,
        currency = EXCLUDED.currency, added_at = EXCLUDED.added_at
""")
)


def _line(row: Any) -> CartLine:
    return CartLine(
        unit=SellableUnit(ProductId(row.product_id), row.sku),
        quantity=row.quantity,
        price_when_added=Money(row.unit_price_minor, Currency(row.currency)),
        added_at=row.added_at,
    )


class SqlaCartRepository(CartRepository):
    """The cart is its lines; saving replaces them (a cart is small and only its owner writes it)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_buyer(self, buyer_id: UserId) -> Cart:
        connection = await connection_of(self._session)
        rows = await connection.execute(_LINES, {"buyer_id": buyer_id})
        cart = Cart(buyer_id)
        for row in rows.all():
            cart.lines[ProductId(row.product_id)] = _line(row)
        return cart

    async def priced(self, buyer_id: UserId) -> PricedCart:
        connection = await connection_of(self._session)
        rows = await connection.execute(_PRICED, {"buyer_id": buyer_id})
        priced = PricedCart(Cart(buyer_id), units={}, rates={})
        for row in rows.all():
            product_id = ProductId(row.product_id)
            priced.cart.lines[product_id] = _line(row)
            if row.unit_id is None:  # pragma: no cover - a product's lines go with it (ON DELETE CASCADE)
                continue
            priced.units[product_id] = Sellable(
                product_id=product_id,
                merchant_id=MerchantId(row.merchant_id),
                sku=row.unit_sku,
                name=row.name,
                price=Money(row.price_minor, Currency(row.unit_currency)),
                stock=row.stock,
                listed=row.listed,  # the catalog's one visibility flag (ADR 0005)
            )
            if row.rate_bp is not None:
                priced.rates[MerchantId(row.merchant_id)] = Rate(row.rate_bp)
        return priced

    async def save(self, cart: Cart) -> None:
        lines = list(cart.lines.items())
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _REPLACE_LINES,
                {
                    "buyer_id": cart.buyer_id,
                    "product_ids": [product_id for product_id, _ in lines],
                    "skus": [line.unit.sku for _, line in lines],
                    "quantities": [line.quantity for _, line in lines],
                    "prices": [line.price_when_added.amount_minor for _, line in lines],
                    "currencies": [line.price_when_added.currency.code for _, line in lines],
                    "added_ats": [line.added_at for _, line in lines],
                },
            )
