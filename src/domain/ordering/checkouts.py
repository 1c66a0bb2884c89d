"""A checkout: one payment for the orders of every store in the cart, with reserved stock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.errors import Conflict, InvalidValue, OutOfStock
from domain.identity.contact import Phone
from domain.identity.roles import UserId
from domain.money import Money
from domain.ordering.orders import CheckoutId
from domain.text import bounded, one_line

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_POSTAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,11}$")


class CheckoutStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    EXPIRED = "expired"


def _text(raw: str, field: str, low: int, high: int) -> str:
    message = f"{field} has {low} to {high} characters"
    return bounded(one_line(raw), low, high, message, field=f"shipping_address.{field}", rule="length")


@dataclass(frozen=True, slots=True)
class ShippingAddress:
    recipient: str
    line1: str
    line2: str | None
    city: str
    region: str
    postal_code: str | None
    country: str
    phone: str

    @classmethod
    def parse(
        cls,
        *,
        recipient: str,
        line1: str,
        line2: str | None,
        city: str,
        region: str,
        postal_code: str | None,
        country: str,
        phone: str,
    ) -> ShippingAddress:
        country = country.strip().upper()
        if not _COUNTRY.match(country):
            raise InvalidValue(
                "country is an ISO 3166-1 alpha-2 code", field="shipping_address.country", rule="country"
            )
        if postal_code is not None and not _POSTAL_CODE.match(postal_code.strip()):
            raise InvalidValue("not a postal code", field="shipping_address.postal_code", rule="postal_code")
        try:
            phone_number = Phone.parse(phone).value
        except InvalidValue as error:
            raise InvalidValue(error.message, field="shipping_address.phone", rule="phone_format") from None
        return cls(
            recipient=_text(recipient, "recipient", 2, 120),
            line1=_text(line1, "line1", 3, 200),
            line2=_text(line2, "line2", 1, 200) if line2 and line2.strip() else None,
            city=_text(city, "city", 2, 100),
            region=_text(region, "region", 2, 100),
            postal_code=postal_code.strip() if postal_code else None,
            country=country,
            phone=phone_number,
        )


@dataclass(slots=True)
class Checkout:
    id: CheckoutId
    buyer_id: UserId
    status: CheckoutStatus
    total: Money
    shipping_address: ShippingAddress
    created_at: datetime
    expires_at: datetime
    paid_at: datetime | None = None

    def ensure_payable(self, now: datetime) -> None:
        """Refuse (409) a checkout that is already paid, or expired (whether the job has run or not)."""
        if self.status is CheckoutStatus.PAID:
            raise Conflict("this checkout is already paid", field="checkout")
        if self.status is CheckoutStatus.EXPIRED or now >= self.expires_at:
            raise Conflict("this checkout has expired; its items went back to stock", field="checkout")

    def mark_paid(self, now: datetime) -> None:
        self.ensure_payable(now)
        self.status = CheckoutStatus.PAID
        self.paid_at = now

    def expire(self, now: datetime) -> None:
        if self.status is not CheckoutStatus.PENDING_PAYMENT or now < self.expires_at:
            raise Conflict("only an unpaid checkout past its deadline expires", field="checkout")
        self.status = CheckoutStatus.EXPIRED


@dataclass(frozen=True, slots=True)
class Shortage:
    product_id: UUID
    sku: str
    requested: int
    available: int


class InsufficientStock(OutOfStock):
    """Some lines cannot be reserved; nothing was. Names each short product and what is left."""

    code = "insufficient_stock"

    def __init__(self, shortages: tuple[Shortage, ...]) -> None:
        names = ", ".join(f"{shortage.sku} ({shortage.available} left)" for shortage in shortages)
        super().__init__(f"not enough stock for: {names}", field="cart")
        self.shortages = shortages

    def extensions(self) -> dict[str, object]:
        return {
            "shortages": [
                {
                    "product_id": str(shortage.product_id),
                    "sku": shortage.sku,
                    "requested": shortage.requested,
                    "available": shortage.available,
                }
                for shortage in self.shortages
            ]
        }
