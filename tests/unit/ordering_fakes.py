"""In-memory fakes of the buying ports, each subclassing the Protocol it stands in for.

``ShopWorld`` wires every buying use case to them. The fake unit of work works
on a deep copy of the shop and writes it back only on ``commit``, so tests see
exactly what a committed transaction would leave.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self
from uuid import UUID

from polyfactory.factories import DataclassFactory

from application.ordering.cancel_order import CancelOrder
from application.ordering.clear_cart import ClearCart
from application.ordering.deliver_order import DeliverOrder
from application.ordering.expire_checkouts import ExpireCheckouts
from application.ordering.get_checkout import GetCheckout
from application.ordering.get_invoice import GetInvoice
from application.ordering.get_order import GetOrder
from application.ordering.list_my_orders import ListMyOrders
from application.ordering.list_store_orders import ListStoreOrders
from application.ordering.merchant_balance import GetMerchantBalance
from application.ordering.pay_checkout import PayCheckout
from application.ordering.place_checkout import AddressInput, PlaceCheckout
from application.ordering.refund_order import RefundOrder
from application.ordering.set_cart_item import SetCartItem
from application.ordering.ship_order import ShipOrder
from application.ordering.terms import CommerceTerms
from application.ordering.view_cart import ViewCart
from application.ports import CatalogCacheInvalidation
from application.ports.ordering import (
    Balance,
    CartRepository,
    ChargeOutcome,
    ChargeResult,
    CheckoutRepository,
    IdempotencyKeys,
    InvoiceRepository,
    MerchantLedger,
    OrderingUnitOfWork,
    OrderRepository,
    OrderScope,
    PaymentAttemptRepository,
    PaymentGateway,
    PricedCart,
    Sellable,
    SellableUnits,
    StoredResponse,
    StoreTerms,
)
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus, StoreRole
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Actor, Role, UserId
from domain.identity.users import User
from domain.money import Currency, Money
from domain.ordering.cart import Cart
from domain.ordering.checkouts import Checkout, CheckoutStatus
from domain.ordering.invoices import Invoice, InvoiceKind
from domain.ordering.ledger import LedgerEntry
from domain.ordering.orders import CheckoutId, Order, OrderId, OrderStatus
from domain.ordering.payments import PaymentAttempt, PaymentStatus
from domain.ordering.pricing import Rate
from tests.unit.fakes import Database, FakeClock, FakeUnitOfWork, SequentialIds

COP = Currency("COP")


class AddressInputFactory(DataclassFactory[AddressInput]):
    """Valid Colombian addresses; override a field to make one bad."""

    recipient = "Ana Rojas"
    line1 = "Calle 10 # 5-51"
    line2 = None
    city = "Bogotá"
    region = "Cundinamarca"
    postal_code = "110111"
    country = "CO"
    phone = "3001234567"


@dataclass
class Shop(Database):
    """The identity and catalog database, plus what buying keeps."""

    carts: dict[UserId, Cart] = field(default_factory=dict)
    checkouts: dict[CheckoutId, Checkout] = field(default_factory=dict)
    orders: dict[OrderId, Order] = field(default_factory=dict)
    payments: dict[UUID, PaymentAttempt] = field(default_factory=dict)
    idempotency: dict[tuple[UserId, str], tuple[str, int | None, bytes | None, datetime]] = field(default_factory=dict)
    invoices: list[Invoice] = field(default_factory=list)
    counters: dict[tuple[MerchantId, InvoiceKind], int] = field(default_factory=dict)
    ledger: list[LedgerEntry] = field(default_factory=list)
    commission_rates: dict[MerchantId, Rate] = field(default_factory=dict)


class _Repo:
    def __init__(self, uow: FakeShopUnitOfWork) -> None:
        self._uow = uow

    @property
    def shop(self) -> Shop:
        return self._uow.pending


class InMemorySellables(_Repo, SellableUnits):
    """The catalog's products as buying sees them, listed or not as the catalog last said."""

    async def of(self, product_ids: Sequence[ProductId]) -> dict[ProductId, Sellable]:
        return {pid: self._sellable(self.shop.products[pid]) for pid in product_ids if pid in self.shop.products}

    def _sellable(self, product: Product) -> Sellable:
        return Sellable(
            product_id=product.id,
            merchant_id=product.merchant_id,
            sku=product.sku,
            name=product.name,
            price=product.price,
            stock=product.stock,
            listed=product.id in self.shop.listed,
        )

    async def stock_levels(self, product_ids: Sequence[ProductId]) -> dict[ProductId, int]:
        return {pid: self.shop.products[pid].stock for pid in product_ids if pid in self.shop.products}


class InMemoryCarts(_Repo, CartRepository):
    async def of_buyer(self, buyer_id: UserId) -> Cart:
        return copy.deepcopy(self.shop.carts.get(buyer_id, Cart(buyer_id)))

    async def priced(self, buyer_id: UserId) -> PricedCart:
        cart = await self.of_buyer(buyer_id)
        units = await self._uow.sellables.of(sorted(cart.lines))
        rates = await self._uow.store_terms.commission_rates(sorted({unit.merchant_id for unit in units.values()}))
        return PricedCart(cart, units, rates)

    async def save(self, cart: Cart) -> None:
        self.shop.carts[cart.buyer_id] = copy.deepcopy(cart)


class InMemoryCheckouts(_Repo, CheckoutRepository):
    async def add(self, checkout: Checkout) -> None:
        self.shop.checkouts[checkout.id] = copy.deepcopy(checkout)

    async def save(self, checkout: Checkout) -> None:
        self.shop.checkouts[checkout.id] = copy.deepcopy(checkout)

    async def get(
        self, checkout_id: CheckoutId, *, buyer_id: UserId | None = None, for_update: bool = False
    ) -> Checkout | None:
        checkout = self.shop.checkouts.get(checkout_id)
        if checkout is None or (buyer_id is not None and checkout.buyer_id != buyer_id):
            return None
        return copy.deepcopy(checkout)

    async def due_for_expiry(self, now: datetime, *, in_flight_since: datetime, limit: int) -> list[Checkout]:
        in_flight = {
            p.checkout_id
            for p in self.shop.payments.values()
            if p.status is PaymentStatus.PENDING and p.updated_at > in_flight_since
        }
        due = [
            c
            for c in self.shop.checkouts.values()
            if c.status is CheckoutStatus.PENDING_PAYMENT and c.expires_at <= now and c.id not in in_flight
        ]
        return copy.deepcopy(sorted(due, key=lambda c: c.id)[:limit])


class InMemoryOrders(_Repo, OrderRepository):
    async def add_all(self, orders: Sequence[Order]) -> None:
        for order in orders:
            self.shop.orders[order.id] = copy.deepcopy(order)

    async def save(self, order: Order) -> None:
        self.shop.orders[order.id] = copy.deepcopy(order)

    async def get(self, order_id: OrderId, *, for_update: bool = False) -> Order | None:
        return copy.deepcopy(self.shop.orders.get(order_id))

    async def of_checkout(self, checkout_id: CheckoutId, *, for_update: bool = False) -> list[Order]:
        orders = [o for o in self.shop.orders.values() if o.checkout_id == checkout_id]
        return copy.deepcopy(sorted(orders, key=lambda o: o.merchant_id))

    async def list(self, scope: OrderScope, *, after: OrderId | None, limit: int) -> list[Order]:
        rows = [
            o
            for o in self.shop.orders.values()
            if (scope.buyer_id is None or o.buyer_id == scope.buyer_id)
            and (scope.merchant_id is None or o.merchant_id == scope.merchant_id)
            and (scope.status is None or o.status is scope.status)
            and (after is None or o.id < after)
        ]
        return copy.deepcopy(sorted(rows, key=lambda o: o.id, reverse=True)[:limit])


class InMemoryPayments(_Repo, PaymentAttemptRepository):
    async def add(self, attempt: PaymentAttempt) -> None:
        self.shop.payments[attempt.id] = copy.deepcopy(attempt)

    async def save(self, attempt: PaymentAttempt) -> None:
        self.shop.payments[attempt.id] = copy.deepcopy(attempt)

    async def get(self, attempt_id: UUID) -> PaymentAttempt | None:
        return copy.deepcopy(self.shop.payments.get(attempt_id))

    async def open_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        found = [p for p in self.shop.payments.values() if p.checkout_id == checkout_id and p.is_open]
        return copy.deepcopy(found[0]) if found else None

    async def approved_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        found = [
            p
            for p in self.shop.payments.values()
            if p.checkout_id == checkout_id and p.status is PaymentStatus.APPROVED
        ]
        return copy.deepcopy(found[0]) if found else None

    async def unsettled_of_expired_checkouts(self, *, limit: int) -> list[PaymentAttempt]:
        found = [
            p
            for p in self.shop.payments.values()
            if p.is_open and self.shop.checkouts[p.checkout_id].status is CheckoutStatus.EXPIRED
        ]
        return copy.deepcopy(sorted(found, key=lambda p: p.id)[:limit])


class InMemoryIdempotencyKeys(_Repo, IdempotencyKeys):
    async def claim(
        self, owner: UserId, key: str, fingerprint: str, *, now: datetime, keep_until: datetime
    ) -> StoredResponse | None:
        stored = self.shop.idempotency.get((owner, key))
        if stored is None:
            self.shop.idempotency[(owner, key)] = (fingerprint, None, None, keep_until)
            return None
        found_fingerprint, status, body, _ = stored
        return StoredResponse(found_fingerprint, status or 0, body or b"")

    async def complete(self, owner: UserId, key: str, *, status_code: int, body: bytes) -> None:
        fingerprint, _, _, keep_until = self.shop.idempotency[(owner, key)]
        self.shop.idempotency[(owner, key)] = (fingerprint, status_code, body, keep_until)

    async def forget_before(self, moment: datetime) -> int:
        old = [k for k, v in self.shop.idempotency.items() if v[3] < moment]
        for k in old:
            del self.shop.idempotency[k]
        return len(old)


class InMemoryInvoices(_Repo, InvoiceRepository):
    async def next_number(self, merchant_id: MerchantId, kind: InvoiceKind) -> int:
        number = self.shop.counters.get((merchant_id, kind), 0) + 1
        self.shop.counters[(merchant_id, kind)] = number
        return number

    async def add(self, invoice: Invoice) -> None:
        self.shop.invoices.append(invoice)

    async def of_order(self, order_id: OrderId) -> list[Invoice]:
        return [i for i in self.shop.invoices if i.order_id == order_id]


class InMemoryMerchantLedger(_Repo, MerchantLedger):
    async def record(self, entries: Sequence[LedgerEntry]) -> None:
        self.shop.ledger.extend(entries)

    async def balance(self, merchant_id: MerchantId, *, available_before: datetime) -> Balance:
        pending = available = 0
        for entry in self.shop.ledger:
            if entry.merchant_id != merchant_id:
                continue
            order = self.shop.orders[entry.order_id]
            delivered = order.delivered_at
            if order.status is OrderStatus.DELIVERED and delivered is not None and delivered < available_before:
                available += entry.amount_minor
            else:
                pending += entry.amount_minor
        # Balances may go negative in principle; Money cannot, and these tests never need it to.
        return Balance(pending=Money(pending, COP), available=Money(available, COP))

    async def entries(self, merchant_id: MerchantId, *, after: UUID | None, limit: int) -> list[LedgerEntry]:
        rows = [e for e in self.shop.ledger if e.merchant_id == merchant_id and (after is None or e.id < after)]
        return sorted(rows, key=lambda e: e.id, reverse=True)[:limit]


class InMemoryStoreTerms(_Repo, StoreTerms):
    async def commission_rates(self, merchant_ids: Sequence[MerchantId]) -> dict[MerchantId, Rate]:
        return {m: self.shop.commission_rates[m] for m in merchant_ids if m in self.shop.commission_rates}

    async def set_commission_rate(self, merchant_id: MerchantId, rate: Rate, now: datetime) -> None:
        self.shop.commission_rates[merchant_id] = rate


class FakeShopUnitOfWork(FakeUnitOfWork, OrderingUnitOfWork):
    """The identity and catalog fakes plus buying's, over one deep copy of the shop per transaction."""

    database: Shop
    pending: Shop

    def __init__(self, shop: Shop, ids: SequentialIds, clock: FakeClock) -> None:
        super().__init__(shop, ids, clock)
        self.shop = shop
        self.pending = shop
        self.sellables = InMemorySellables(self)
        self.carts = InMemoryCarts(self)
        self.checkouts = InMemoryCheckouts(self)
        self.orders = InMemoryOrders(self)
        self.payments = InMemoryPayments(self)
        self.idempotency_keys = InMemoryIdempotencyKeys(self)
        self.invoices = InMemoryInvoices(self)
        self.merchant_ledger = InMemoryMerchantLedger(self)
        self.store_terms = InMemoryStoreTerms(self)

    async def __aenter__(self) -> Self:
        self.pending = copy.deepcopy(self.shop)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.pending = self.shop

    async def commit(self) -> None:
        self.pending.commits += 1
        for name in Shop.__dataclass_fields__:
            setattr(self.shop, name, copy.deepcopy(getattr(self.pending, name)))

    async def rollback(self) -> None:
        self.pending = copy.deepcopy(self.shop)


class InMemoryGateway(PaymentGateway):
    """The same token rules as the adapter: ok approves, declined declines, timeout charges but answers late."""

    def __init__(self) -> None:
        self.charges: dict[UUID, ChargeResult] = {}
        self.refunds: dict[UUID, tuple[str, Money]] = {}

    async def charge(self, *, idempotency_key: UUID, amount: Money, token: str) -> ChargeResult:
        if idempotency_key in self.charges:
            return self.charges[idempotency_key]
        if token == "tok_error":
            return ChargeResult(ChargeOutcome.FAILED, reason="processor error")
        if token == "tok_declined":
            result = ChargeResult(ChargeOutcome.DECLINED, reason="insufficient funds")
        else:
            result = ChargeResult(ChargeOutcome.APPROVED, reference=f"ch_{len(self.charges) + 1}")
        self.charges[idempotency_key] = result
        if token == "tok_timeout":
            return ChargeResult(ChargeOutcome.TIMED_OUT)
        return result

    async def look_up(self, *, idempotency_key: UUID) -> ChargeResult | None:
        return self.charges.get(idempotency_key)

    @property
    def approved(self) -> list[ChargeResult]:
        return [c for c in self.charges.values() if c.outcome is ChargeOutcome.APPROVED]

    async def refund(self, *, idempotency_key: UUID, charge_reference: str, amount: Money) -> ChargeResult:
        self.refunds.setdefault(idempotency_key, (charge_reference, amount))
        return ChargeResult(ChargeOutcome.APPROVED, reference=f"re_{idempotency_key}")


class CacheSpy(CatalogCacheInvalidation):
    def __init__(self) -> None:
        self.products: list[ProductId] = []
        self.listings = 0

    async def products_changed(self, product_ids: Sequence[ProductId]) -> None:
        self.products.extend(product_ids)

    async def listings_changed(self) -> None:
        self.listings += 1


class ShopWorld:
    def __init__(self, terms: CommerceTerms | None = None) -> None:
        self.shop = Shop()
        self.clock = FakeClock()
        self.ids = SequentialIds()
        self.gateway = InMemoryGateway()
        self.cache = CacheSpy()
        self.terms = terms or CommerceTerms(currency=COP)
        uow = self.unit_of_work
        clock, ids, gateway, cache, terms = self.clock, self.ids, self.gateway, self.cache, self.terms
        self.set_cart_item = SetCartItem(unit_of_work=uow, clock=clock, terms=terms)
        self.view_cart = ViewCart(unit_of_work=uow, currency=COP)
        self.clear_cart = ClearCart(unit_of_work=uow)
        self.place_checkout = PlaceCheckout(unit_of_work=uow, clock=clock, ids=ids, terms=terms, cache=cache)
        self.get_checkout = GetCheckout(unit_of_work=uow)
        self.pay_checkout = PayCheckout(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway)
        self.expire_checkouts = ExpireCheckouts(unit_of_work=uow, clock=clock, ids=ids, cache=cache, gateway=gateway)
        self.cancel_order = CancelOrder(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway, cache=cache)
        self.refund_order = RefundOrder(unit_of_work=uow, clock=clock, ids=ids, gateway=gateway, cache=cache)
        self.ship_order = ShipOrder(unit_of_work=uow, clock=clock)
        self.deliver_order = DeliverOrder(unit_of_work=uow, clock=clock)
        self.list_my_orders = ListMyOrders(unit_of_work=uow)
        self.list_store_orders = ListStoreOrders(unit_of_work=uow)
        self.get_order = GetOrder(unit_of_work=uow)
        self.get_invoice = GetInvoice(unit_of_work=uow)
        self.balance = GetMerchantBalance(unit_of_work=uow, clock=clock, terms=terms)

    def unit_of_work(self) -> FakeShopUnitOfWork:
        return FakeShopUnitOfWork(self.shop, self.ids, self.clock)

    def customer(self, name: str = "ana", role: Role = Role.CUSTOMER) -> Actor:
        n = len(self.shop.users) + 1
        user = User.sign_up(
            id=UserId(self.ids.new_id()),
            email=Email.parse(f"{name}{n}@example.com"),
            phone=Phone.parse(f"+5730000{n:05d}"),
            national_id=NationalId.parse(f"CC{n:08d}"),
            first_name=name.title(),
            last_name="Rojas",
            password_hash="x",
            role=role,
            is_active=True,
            now=self.clock.now(),
        )
        self.shop.users[user.id] = user
        return Actor(user.id, role)

    def store(self, legal_id: str, commission: Rate | None = None) -> tuple[MerchantId, Actor]:
        manager = self.customer("manager", Role.MERCHANT_MANAGER)
        merchant = Merchant(
            id=MerchantId(self.ids.new_id()),
            name=f"Tienda {legal_id}",
            legal_id=legal_id,
            description="",
            contact_email=f"store-{legal_id}@example.com",
            applicant_id=manager.user_id,
            status=MerchantStatus.APPROVED,
            suspension_reason=None,
            created_at=self.clock.now(),
            updated_at=self.clock.now(),
        )
        self.shop.merchants[merchant.id] = merchant
        self.shop.memberships[manager.user_id] = Membership(
            merchant.id, manager.user_id, StoreRole.MANAGER, self.clock.now()
        )
        if commission is not None:
            self.shop.commission_rates[merchant.id] = commission
        return merchant.id, manager

    def product(self, merchant_id: MerchantId, price: int, stock: int, *, listed: bool = True) -> ProductId:
        product_id = ProductId(self.ids.new_id())
        self.shop.products[product_id] = Product(
            id=product_id,
            merchant_id=merchant_id,
            sku=f"SKU-{len(self.shop.products) + 1}",
            name=f"Producto {len(self.shop.products) + 1}",
            description="",
            price=Money(price, COP),
            stock=stock,
            category_id=CategoryId(UUID(int=0)),
            images=(),
            status=ProductStatus.ACTIVE,
            created_at=self.clock.now(),
            updated_at=self.clock.now(),
        )
        if listed:
            self.shop.listed.add(product_id)
        return product_id

    def stock(self, product_id: ProductId) -> int:
        return self.shop.products[product_id].stock

    def later(self, **delta: float) -> None:
        self.clock.current += timedelta(**delta)
