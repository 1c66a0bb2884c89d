"""The customer's cart: what they mean to buy, with the price they saw when they chose it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.catalog.products import ProductId
from domain.errors import InvalidValue
from domain.identity.roles import UserId
from domain.money import Money


def cart_quantity(raw: int, cap: int) -> int:
    """0 (remove the line) up to ``cap`` units of one sellable unit."""
    if not 0 <= raw <= cap:
        raise InvalidValue(f"quantity is a whole number from 0 to {cap}", field="quantity", rule="quantity_range")
    return raw


@dataclass(frozen=True, slots=True)
class SellableUnit:
    """What a line points at: today a product (id and SKU). A variant id will join it, past lines keep none."""

    product_id: ProductId
    sku: str


@dataclass(frozen=True, slots=True)
class CartLine:
    unit: SellableUnit
    quantity: int
    price_when_added: Money
    added_at: datetime


@dataclass(slots=True)
class Cart:
    buyer_id: UserId
    lines: dict[ProductId, CartLine] = field(default_factory=dict)

    def set_quantity(self, unit: SellableUnit, quantity: int, price: Money, now: datetime, *, cap: int) -> None:
        """Put ``quantity`` units in the cart (0 removes the line) at the price the customer sees now."""
        if cart_quantity(quantity, cap) == 0:
            self.lines.pop(unit.product_id, None)
            return
        self.lines[unit.product_id] = CartLine(unit=unit, quantity=quantity, price_when_added=price, added_at=now)

    def clear(self) -> None:
        self.lines.clear()

    @property
    def is_empty(self) -> bool:
        return not self.lines
