"""Use case: a customer reads their cart at today's prices and availability."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from application.ports.ordering import OrderingUnitOfWork, Sellable
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import Actor
from domain.money import Currency, Money
from domain.ordering.cart import Cart


@dataclass(frozen=True, slots=True)
class CartLineView:
    product_id: ProductId
    merchant_id: MerchantId | None
    sku: str
    name: str | None
    quantity: int
    unit_price: Money
    price_when_added: Money
    line_total: Money
    available: bool  # listed, with enough stock for the quantity
    price_changed: bool


@dataclass(frozen=True, slots=True)
class CartView:
    lines: list[CartLineView]
    total: Money

    @property
    def has_problems(self) -> bool:
        return any(not line.available or line.price_changed for line in self.lines)


async def cart_view(
    uow: OrderingUnitOfWork, cart: Cart, currency: Currency, *, units: Mapping[ProductId, Sellable] | None = None
) -> CartView:
    """``units``: the cart's products when the caller has read them already (no second read)."""
    if units is None:
        units = await uow.sellables.of(sorted(cart.lines))
    lines: list[CartLineView] = []
    total = Money(0, currency)
    for product_id, line in sorted(cart.lines.items(), key=lambda item: item[1].added_at):
        unit = units.get(product_id)
        price = unit.price if unit is not None else line.price_when_added
        available = unit is not None and unit.listed and unit.stock >= line.quantity
        line_total = price.times(line.quantity)
        if available:
            total = total + line_total
        lines.append(
            CartLineView(
                product_id=product_id,
                merchant_id=unit.merchant_id if unit else None,
                sku=line.unit.sku,
                name=unit.name if unit else None,
                quantity=line.quantity,
                unit_price=price,
                price_when_added=line.price_when_added,
                line_total=line_total,
                available=available,
                price_changed=price != line.price_when_added,
            )
        )
    return CartView(lines=lines, total=total)


@dataclass(frozen=True, slots=True)
class ViewCartQuery:
    actor: Actor


@use_case
class ViewCart:
    """The cart shows current prices and flags lines that became unavailable or changed price.

    The total counts available lines only, at current prices: that is what a
    checkout would charge before tax.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    currency: Currency

    async def __call__(self, query: ViewCartQuery) -> CartView:
        async with self.unit_of_work() as uow:
            cart = await uow.carts.of_buyer(query.actor.user_id)
            return await cart_view(uow, cart, self.currency)
