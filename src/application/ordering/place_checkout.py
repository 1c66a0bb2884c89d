"""Use case: a customer checks out the cart: one order per store, stock reserved, idempotent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import groupby

from application.ordering.notifications import tell_buyer_and_stores
from application.ordering.stock import announce, reserve
from application.ordering.terms import CommerceTerms
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator
from application.ports.ordering import OrderingUnitOfWork, Sellable
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import Actor
from domain.money import Money
from domain.ordering.cart import Cart
from domain.ordering.checkouts import Checkout, CheckoutStatus, ShippingAddress
from domain.ordering.orders import CheckoutId, Order, OrderId, OrderLine
from domain.ordering.pricing import Rate

MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class AddressInput:
    recipient: str
    line1: str
    city: str
    region: str
    country: str
    phone: str
    line2: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class PlacedCheckout:
    checkout: Checkout
    orders: list[Order]


@dataclass(frozen=True, slots=True)
class CheckoutResponse:
    """What to answer: the first response to this key, stored with it, and replayed on repeats."""

    status_code: int
    body: bytes
    replayed: bool


@dataclass(frozen=True, slots=True)
class PlaceCheckoutCommand:
    actor: Actor
    idempotency_key: str
    shipping_address: AddressInput
    encode: Callable[[PlacedCheckout], bytes]
    """How the caller renders the result: those bytes are what a repeat of the key gets back."""


def idempotency_key(raw: str) -> str:
    key = raw.strip()
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidValue(
            f"Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable characters",
            field="Idempotency-Key",
            rule="idempotency_key",
        )
    return key


def fingerprint(address: AddressInput) -> str:
    """The request's identity for idempotency: its body, canonically encoded."""
    canonical = json.dumps(asdict(address), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@use_case
class PlaceCheckout:
    """Turn the cart into a checkout awaiting payment.

    Rules:
    - the ``Idempotency-Key`` is claimed in the same transaction: the same key
      with the same body from the same user replays the stored response and
      creates nothing; with another body it is refused (422); concurrent
      duplicates wait for the first and replay it. Refusals store nothing, so a
      corrected retry with the key is evaluated afresh.
    - every line must be a product customers can see now (409 otherwise), at
      its current price; lines are grouped into one order per store, each
      snapshotting name, SKU, unit price and quantity, the tax rate and the
      store's commission rate (see ``domain.ordering.pricing`` for rounding).
    - stock for every line is reserved in the same transaction (all or
      nothing; 409 naming short products and what is left), with a ledger row;
      it is the last write before the commit, so the product rows are locked
      for as short a time as possible (for the commit alone).
    - the checkout must be paid within the checkout TTL, or it expires.
    - the buyer and each store are told through the outbox.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    ids: IdGenerator
    terms: CommerceTerms
    cache: CatalogCacheInvalidation

    async def __call__(self, command: PlaceCheckoutCommand) -> CheckoutResponse:
        key = idempotency_key(command.idempotency_key)
        given = command.shipping_address
        address = ShippingAddress.parse(
            recipient=given.recipient,
            line1=given.line1,
            line2=given.line2,
            city=given.city,
            region=given.region,
            postal_code=given.postal_code,
            country=given.country,
            phone=given.phone,
        )
        request_fingerprint = fingerprint(given)
        buyer_id = command.actor.user_id
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            stored = await uow.idempotency_keys.claim(
                buyer_id, key, request_fingerprint, now=now, keep_until=now + self.terms.idempotency_ttl
            )
            if stored is not None:
                if stored.fingerprint != request_fingerprint:
                    raise InvalidValue(
                        "this Idempotency-Key was already used with a different request",
                        field="Idempotency-Key",
                        rule="idempotency_key_reused",
                    )
                return CheckoutResponse(status_code=stored.status_code, body=stored.body, replayed=True)

            priced = await uow.carts.priced(buyer_id)
            cart, units = priced.cart, priced.units
            if cart.is_empty:
                raise Conflict("the cart is empty", field="cart")
            self._require_available(cart, units)
            checkout_id = CheckoutId(self.ids.new_id())
            orders = self._orders(cart, units, priced.rates, checkout_id, now)
            total = Money(0, self.terms.currency)
            for order in orders:
                total = total + order.total
            checkout = Checkout(
                id=checkout_id,
                buyer_id=buyer_id,
                status=CheckoutStatus.PENDING_PAYMENT,
                total=total,
                shipping_address=address,
                created_at=now,
                expires_at=now + self.terms.checkout_ttl,
            )
            await uow.checkouts.add(checkout)
            await uow.orders.add_all(orders)
            await tell_buyer_and_stores(
                uow,
                orders,
                buyer_id=buyer_id,
                buyer_kind="order_placed",
                buyer_payload={"checkout_id": str(checkout.id), "total_minor": str(total.amount_minor)},
                store_kind="order_placed",
            )
            # The key's response is written before the stock is reserved: if the reservation fails,
            # the whole transaction (the response with it) rolls back.
            body = command.encode(PlacedCheckout(checkout=checkout, orders=orders))
            await uow.idempotency_keys.complete(buyer_id, key, status_code=201, body=body)
            # Last: the product rows stay locked from here to the commit, and every other checkout of
            # these products waits for that long.
            changes = await reserve(
                uow,
                [(line.unit.product_id, line.unit.sku, line.quantity) for line in cart.lines.values()],
                reason="reserved by checkout",
                actor_id=buyer_id,
                ids=self.ids,
                now=now,
            )
            await uow.commit()
        await announce(self.cache, changes)
        return CheckoutResponse(status_code=201, body=body, replayed=False)

    @staticmethod
    def _require_available(cart: Cart, units: dict[ProductId, Sellable]) -> None:
        gone = [
            line.unit.sku
            for product_id, line in cart.lines.items()
            if (unit := units.get(product_id)) is None or not unit.listed
        ]
        if gone:
            raise Conflict(f"no longer available: {', '.join(sorted(gone))}; remove them from the cart", field="cart")

    def _orders(
        self,
        cart: Cart,
        units: dict[ProductId, Sellable],
        rates: dict[MerchantId, Rate],
        checkout_id: CheckoutId,
        now: datetime,
    ) -> list[Order]:
        lines = sorted(
            ((units[product_id], line) for product_id, line in cart.lines.items()),
            key=lambda pair: (pair[0].merchant_id, pair[0].product_id),
        )
        orders: list[Order] = []
        for merchant_id, group in groupby(lines, key=lambda pair: pair[0].merchant_id):
            store_id = MerchantId(merchant_id)
            orders.append(
                Order.place(
                    id=OrderId(self.ids.new_id()),
                    checkout_id=checkout_id,
                    buyer_id=cart.buyer_id,
                    merchant_id=store_id,
                    lines=tuple(
                        OrderLine(unit=line.unit, name=unit.name, unit_price=unit.price, quantity=line.quantity)
                        for unit, line in group
                    ),
                    tax_rate=self.terms.tax_rate,
                    commission_rate=rates.get(store_id, self.terms.default_commission_rate),
                    now=now,
                )
            )
        return orders
