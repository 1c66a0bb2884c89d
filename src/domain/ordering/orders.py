"""The order of one store within a checkout: its lines, its money and its state machine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId
from domain.money import Money
from domain.ordering.cart import SellableUnit
from domain.ordering.pricing import Rate, order_totals
from domain.text import bounded, moderation_reason, one_line

OrderId = NewType("OrderId", UUID)
CheckoutId = NewType("CheckoutId", UUID)


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


# The whole state machine. Anything not listed here is refused.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.EXPIRED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A snapshot taken at checkout: later catalog edits never change what was sold."""

    unit: SellableUnit
    name: str
    unit_price: Money
    quantity: int

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """One step of the order's history."""

    status: OrderStatus
    at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Shipment:
    carrier: str
    tracking_code: str

    @classmethod
    def parse(cls, carrier: str, tracking_code: str) -> Shipment:
        return cls(
            carrier=bounded(
                one_line(carrier), 2, 80, "a carrier has 2 to 80 characters", field="carrier", rule="carrier"
            ),
            tracking_code=bounded(
                tracking_code.strip(),
                3,
                80,
                "a tracking code has 3 to 80 characters",
                field="tracking_code",
                rule="tracking",
            ),
        )


@dataclass(slots=True)
class Order:
    id: OrderId
    checkout_id: CheckoutId
    buyer_id: UserId
    merchant_id: MerchantId
    lines: tuple[OrderLine, ...]
    tax_rate: Rate
    commission_rate: Rate
    subtotal: Money
    tax: Money
    total: Money
    commission: Money
    status: OrderStatus
    created_at: datetime
    history: list[OrderEvent] = field(default_factory=list)
    shipment: Shipment | None = None
    delivered_at: datetime | None = None

    @classmethod
    def place(
        cls,
        *,
        id: OrderId,
        checkout_id: CheckoutId,
        buyer_id: UserId,
        merchant_id: MerchantId,
        lines: tuple[OrderLine, ...],
        tax_rate: Rate,
        commission_rate: Rate,
        now: datetime,
    ) -> Order:
        if not lines:
            raise InvalidValue("an order has at least one line", field="lines", rule="not_empty")
        currency = lines[0].unit_price.currency
        totals = order_totals((line.total for line in lines), currency, tax=tax_rate, commission=commission_rate)
        return cls(
            id=id,
            checkout_id=checkout_id,
            buyer_id=buyer_id,
            merchant_id=merchant_id,
            lines=lines,
            tax_rate=tax_rate,
            commission_rate=commission_rate,
            subtotal=totals.subtotal,
            tax=totals.tax,
            total=totals.total,
            commission=totals.commission,
            status=OrderStatus.PENDING_PAYMENT,
            created_at=now,
            history=[OrderEvent(OrderStatus.PENDING_PAYMENT, now)],
        )

    @property
    def holds_stock(self) -> bool:
        """Its units are reserved but not yet shipped: cancelling or expiring gives them back."""
        return self.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID)

    @property
    def was_paid(self) -> bool:
        return any(event.status is OrderStatus.PAID for event in self.history)

    def can_become(self, status: OrderStatus) -> bool:
        return status in TRANSITIONS[self.status]

    def pay(self, now: datetime) -> None:
        self._move(OrderStatus.PAID, now)

    def expire(self, now: datetime) -> None:
        self._move(OrderStatus.EXPIRED, now)

    def cancel(self, now: datetime) -> None:
        self._move(OrderStatus.CANCELLED, now)

    def ship(self, shipment: Shipment, now: datetime) -> None:
        self._move(OrderStatus.SHIPPED, now, f"{shipment.carrier} {shipment.tracking_code}")
        self.shipment = shipment

    def deliver(self, now: datetime) -> None:
        self._move(OrderStatus.DELIVERED, now)
        self.delivered_at = now

    def refund(self, reason: str, now: datetime) -> None:
        self._move(OrderStatus.REFUNDED, now, moderation_reason(one_line(reason)))

    def _move(self, status: OrderStatus, now: datetime, note: str | None = None) -> None:
        if not self.can_become(status):
            raise Conflict(f"an order that is {self.status} cannot become {status}", field="status")
        self.status = status
        self.history.append(OrderEvent(status, now, note))
