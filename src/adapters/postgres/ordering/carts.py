"""PostgreSQL carts: a cart is its lines."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import connection_of
from adapters.postgres.ordering.tables import CartLineRow
from application.ports.ordering import CartRepository
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.cart import Cart, CartLine, SellableUnit

# Built once: every cart change and every checkout run them.
_LINES = select(CartLineRow.__table__).where(CartLineRow.buyer_id == bindparam("buyer_id"))
_EMPTY = delete(CartLineRow).where(CartLineRow.buyer_id == bindparam("buyer_id"))
_ADD_LINES = insert(CartLineRow)


class SqlaCartRepository(CartRepository):
    """The cart is its lines; saving replaces them (a cart is small and only its owner writes it)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_buyer(self, buyer_id: UserId) -> Cart:
        connection = await connection_of(self._session)
        rows = await connection.execute(_LINES, {"buyer_id": buyer_id})
        cart = Cart(buyer_id)
        for row in rows.all():
            cart.lines[ProductId(row.product_id)] = CartLine(
                unit=SellableUnit(ProductId(row.product_id), row.sku),
                quantity=row.quantity,
                price_when_added=Money(row.unit_price_minor, Currency(row.currency)),
                added_at=row.added_at,
            )
        return cart

    async def save(self, cart: Cart) -> None:
        connection = await connection_of(self._session)
        await connection.execute(_EMPTY, {"buyer_id": cart.buyer_id})
        if cart.lines:
            with constraint_errors():
                await connection.execute(
                    _ADD_LINES,
                    [
                        {
                            "buyer_id": cart.buyer_id,
                            "product_id": product_id,
                            "sku": line.unit.sku,
                            "quantity": line.quantity,
                            "unit_price_minor": line.price_when_added.amount_minor,
                            "currency": line.price_when_added.currency.code,
                            "added_at": line.added_at,
                        }
                        for product_id, line in cart.lines.items()
                    ],
                )
