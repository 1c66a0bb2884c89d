"""Ports of the buying use cases: carts, checkouts, orders, payments, documents, the merchants' ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from application.ports.unit_of_work import UnitOfWork
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.money import Money
from domain.ordering.cart import Cart
from domain.ordering.checkouts import Checkout
from domain.ordering.invoices import Invoice, InvoiceKind
from domain.ordering.ledger import LedgerEntry
from domain.ordering.orders import CheckoutId, Order, OrderId, OrderStatus
from domain.ordering.payments import PaymentAttempt
from domain.ordering.pricing import Rate


@dataclass(frozen=True, slots=True)
class Sellable:
    """What the catalog says about a unit right now: enough to price, reserve and snapshot it."""

    product_id: ProductId
    merchant_id: MerchantId
    sku: str
    name: str
    price: Money
    stock: int
    listed: bool


class SellableUnits(Protocol):
    async def of(self, product_ids: Sequence[ProductId]) -> dict[ProductId, Sellable]:
        """The units that exist among ``product_ids``, in one read."""
        ...

    async def stock_levels(self, product_ids: Sequence[ProductId]) -> dict[ProductId, int]: ...


@dataclass(frozen=True, slots=True)
class PricedCart:
    """A cart with what the catalog says about its units now and the agreed rates of their stores."""

    cart: Cart
    units: dict[ProductId, Sellable]
    """The units of the cart's lines that still exist."""
    rates: dict[MerchantId, Rate]
    """The rates agreed with those units' stores; a store missing here pays the platform default."""


class CartRepository(Protocol):
    async def of_buyer(self, buyer_id: UserId) -> Cart:
        """The buyer's cart (empty when they never put anything in it)."""
        ...

    async def priced(self, buyer_id: UserId) -> PricedCart:
        """The buyer's cart with its units and their stores' rates, in one read: all a checkout reads."""
        ...

    async def save(self, cart: Cart) -> None: ...


class CheckoutRepository(Protocol):
    async def add(self, checkout: Checkout) -> None: ...

    async def save(self, checkout: Checkout) -> None: ...

    async def get(
        self, checkout_id: CheckoutId, *, buyer_id: UserId | None = None, for_update: bool = False
    ) -> Checkout | None: ...

    async def due_for_expiry(self, now: datetime, *, in_flight_since: datetime, limit: int) -> list[Checkout]:
        """Unpaid checkouts past their deadline, locked; rows another transaction holds are skipped,
        and so are checkouts with a payment attempt sent to the gateway after ``in_flight_since``."""
        ...


class OrderRepository(Protocol):
    async def add_all(self, orders: Sequence[Order]) -> None: ...

    async def save(self, order: Order) -> None:
        """Store the order's status and shipment and append the history events it does not have yet."""
        ...

    async def get(self, order_id: OrderId, *, for_update: bool = False) -> Order | None: ...

    async def of_checkout(self, checkout_id: CheckoutId, *, for_update: bool = False) -> list[Order]:
        """The checkout's orders, by store id (the order locks are taken in)."""
        ...

    async def list(self, scope: OrderScope, *, after: OrderId | None, limit: int) -> list[Order]:
        """Newest first."""
        ...


@dataclass(frozen=True, slots=True)
class OrderScope:
    """Which orders a listing covers: a buyer's, a store's, or (neither given) everybody's."""

    buyer_id: UserId | None = None
    merchant_id: MerchantId | None = None
    status: OrderStatus | None = None


class PaymentAttemptRepository(Protocol):
    async def add(self, attempt: PaymentAttempt) -> None: ...

    async def save(self, attempt: PaymentAttempt) -> None: ...

    async def get(self, attempt_id: UUID) -> PaymentAttempt | None: ...

    async def open_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        """The checkout's pending or unknown attempt (there is at most one)."""
        ...

    async def approved_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None: ...

    async def unsettled_of_expired_checkouts(self, *, limit: int) -> list[PaymentAttempt]:
        """Open attempts (pending or unknown) whose checkout has expired: the gateway must be asked."""
        ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an earlier request with the same idempotency key answered."""

    fingerprint: str
    status_code: int
    body: bytes


class IdempotencyKeys(Protocol):
    """Keys clients send so that a retried request never acts twice.

    ``claim`` inserts the key inside the caller's transaction. A concurrent
    request with the same key waits on that row: when the first one commits it
    gets the stored response; when the first one rolls back (nothing was done)
    it claims the key itself.
    """

    async def claim(
        self, owner: UserId, key: str, fingerprint: str, *, now: datetime, keep_until: datetime
    ) -> StoredResponse | None:
        """``None`` when this transaction now owns the key; else the response stored under it."""
        ...

    async def complete(self, owner: UserId, key: str, *, status_code: int, body: bytes) -> None: ...

    async def forget_before(self, moment: datetime) -> int:
        """Drop keys kept until before ``moment``; how many."""
        ...


class InvoiceRepository(Protocol):
    async def next_number(self, merchant_id: MerchantId, kind: InvoiceKind) -> int:
        """The store's next sequence number of this kind, locked until the transaction ends (gap-free)."""
        ...

    async def add(self, invoice: Invoice) -> None: ...

    async def of_order(self, order_id: OrderId) -> list[Invoice]:
        """The order's invoice and credit notes, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class Balance:
    pending: Money
    available: Money


class MerchantLedger(Protocol):
    async def record(self, entries: Sequence[LedgerEntry]) -> None: ...

    async def balance(self, merchant_id: MerchantId, *, available_before: datetime) -> Balance:
        """Entries of orders delivered before ``available_before`` are available; all others pending."""
        ...

    async def entries(self, merchant_id: MerchantId, *, after: UUID | None, limit: int) -> list[LedgerEntry]:
        """Newest first."""
        ...


class StoreTerms(Protocol):
    async def commission_rates(self, merchant_ids: Sequence[MerchantId]) -> dict[MerchantId, Rate]:
        """The rates agreed with these stores; a store missing here pays the platform default."""
        ...

    async def set_commission_rate(self, merchant_id: MerchantId, rate: Rate, now: datetime) -> None: ...


class ChargeOutcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"  # no answer in time: the charge may or may not exist
    FAILED = "failed"  # the gateway answered with an error: nothing was charged


@dataclass(frozen=True, slots=True)
class ChargeResult:
    outcome: ChargeOutcome
    reference: str | None = None
    reason: str | None = None


class PaymentGateway(Protocol):
    """A card processor. Every call carries our idempotency key: the same key never moves money twice."""

    async def charge(self, *, idempotency_key: UUID, amount: Money, token: str) -> ChargeResult:
        """Charge ``amount``; a repeated key answers with the first call's charge, if it made one."""
        ...

    async def refund(self, *, idempotency_key: UUID, charge_reference: str, amount: Money) -> ChargeResult: ...

    async def look_up(self, *, idempotency_key: UUID) -> ChargeResult | None:
        """What the gateway did under this key (approved or declined), or ``None`` if it never charged."""
        ...


class OrderingUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of the buying use cases: the catalog's and identity's repositories plus these."""

    sellables: SellableUnits
    carts: CartRepository
    checkouts: CheckoutRepository
    orders: OrderRepository
    payments: PaymentAttemptRepository
    idempotency_keys: IdempotencyKeys
    invoices: InvoiceRepository
    merchant_ledger: MerchantLedger
    store_terms: StoreTerms
