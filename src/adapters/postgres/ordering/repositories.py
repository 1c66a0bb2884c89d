"""PostgreSQL repositories of buying: explicit mapping between rows and domain objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from adapters.postgres.errors import constraint_errors, flush
from adapters.postgres.ordering.tables import (
    CartLineRow,
    CheckoutRow,
    DocumentSequenceRow,
    IdempotencyKeyRow,
    InvoiceRow,
    MerchantLedgerEntryRow,
    OrderEventRow,
    OrderLineRow,
    OrderRow,
    PaymentAttemptRow,
    StoreCommissionRateRow,
)
from adapters.postgres.tables import ProductRow
from application.ports.ordering import (
    Balance,
    CartRepository,
    CheckoutRepository,
    IdempotencyKeys,
    InvoiceRepository,
    MerchantLedger,
    OrderRepository,
    OrderScope,
    PaymentAttemptRepository,
    Sellable,
    SellableUnits,
    StoredResponse,
    StoreTerms,
)
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.cart import Cart, CartLine, SellableUnit
from domain.ordering.checkouts import Checkout, CheckoutStatus, ShippingAddress
from domain.ordering.invoices import Invoice, InvoiceId, InvoiceKind, Party
from domain.ordering.ledger import EntryKind, LedgerEntry
from domain.ordering.orders import CheckoutId, Order, OrderEvent, OrderId, OrderLine, OrderStatus, Shipment
from domain.ordering.payments import PaymentAttempt, PaymentAttemptId, PaymentStatus
from domain.ordering.pricing import Rate

# --- the catalog as buying sees it -----------------------------------------------------------------


class SqlaSellableUnits(SellableUnits):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of(self, product_ids: Sequence[ProductId]) -> dict[ProductId, Sellable]:
        if not product_ids:
            return {}
        rows = await self._session.execute(
            select(
                ProductRow.id,
                ProductRow.merchant_id,
                ProductRow.sku,
                ProductRow.name,
                ProductRow.price_minor,
                ProductRow.currency,
                ProductRow.stock,
                ProductRow.listed,
            ).where(ProductRow.id.in_(product_ids))
        )
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
        rows = await self._session.execute(
            select(ProductRow.id, ProductRow.stock).where(ProductRow.id.in_(product_ids))
        )
        return {ProductId(product_id): stock for product_id, stock in rows.all()}


class SqlaStoreTerms(StoreTerms):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commission_rates(self, merchant_ids: Sequence[MerchantId]) -> dict[MerchantId, Rate]:
        if not merchant_ids:
            return {}
        rows = await self._session.execute(
            select(StoreCommissionRateRow.merchant_id, StoreCommissionRateRow.rate_bp).where(
                StoreCommissionRateRow.merchant_id.in_(merchant_ids)
            )
        )
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


# --- carts -----------------------------------------------------------------------------------------


class SqlaCartRepository(CartRepository):
    """The cart is its lines; saving replaces them (a cart is small and only its owner writes it)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_buyer(self, buyer_id: UserId) -> Cart:
        rows = await self._session.scalars(select(CartLineRow).where(CartLineRow.buyer_id == buyer_id))
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
        await self._session.execute(delete(CartLineRow).where(CartLineRow.buyer_id == cart.buyer_id))
        if cart.lines:
            with constraint_errors():
                await self._session.execute(
                    insert(CartLineRow),
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


# --- checkouts -------------------------------------------------------------------------------------


def _address(raw: dict[str, Any]) -> ShippingAddress:
    return ShippingAddress(
        recipient=raw["recipient"],
        line1=raw["line1"],
        line2=raw.get("line2"),
        city=raw["city"],
        region=raw["region"],
        postal_code=raw.get("postal_code"),
        country=raw["country"],
        phone=raw["phone"],
    )


def _checkout(row: CheckoutRow) -> Checkout:
    return Checkout(
        id=CheckoutId(row.id),
        buyer_id=UserId(row.buyer_id),
        status=CheckoutStatus(row.status),
        total=Money(row.total_minor, Currency(row.currency)),
        shipping_address=_address(row.shipping_address),
        created_at=row.created_at,
        expires_at=row.expires_at,
        paid_at=row.paid_at,
    )


class SqlaCheckoutRepository(CheckoutRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, checkout: Checkout) -> None:
        address = checkout.shipping_address
        self._session.add(
            CheckoutRow(
                id=checkout.id,
                buyer_id=checkout.buyer_id,
                status=checkout.status.value,
                total_minor=checkout.total.amount_minor,
                currency=checkout.total.currency.code,
                shipping_address={
                    "recipient": address.recipient,
                    "line1": address.line1,
                    "line2": address.line2,
                    "city": address.city,
                    "region": address.region,
                    "postal_code": address.postal_code,
                    "country": address.country,
                    "phone": address.phone,
                },
                created_at=checkout.created_at,
                expires_at=checkout.expires_at,
                paid_at=checkout.paid_at,
            )
        )
        await flush(self._session)  # orders reference it, and they are inserted without the ORM

    async def save(self, checkout: Checkout) -> None:
        await self._session.execute(
            update(CheckoutRow)
            .where(CheckoutRow.id == checkout.id)
            .values(status=checkout.status.value, paid_at=checkout.paid_at)
        )

    async def get(
        self, checkout_id: CheckoutId, *, buyer_id: UserId | None = None, for_update: bool = False
    ) -> Checkout | None:
        statement = select(CheckoutRow).where(CheckoutRow.id == checkout_id)
        if buyer_id is not None:
            statement = statement.where(CheckoutRow.buyer_id == buyer_id)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _checkout(row) if row is not None else None

    async def due_for_expiry(self, now: datetime, *, in_flight_since: datetime, limit: int) -> list[Checkout]:
        in_flight = (
            select(PaymentAttemptRow.id)
            .where(
                PaymentAttemptRow.checkout_id == CheckoutRow.id,
                PaymentAttemptRow.status == PaymentStatus.PENDING.value,
                PaymentAttemptRow.updated_at > in_flight_since,
            )
            .exists()
        )
        rows = await self._session.scalars(
            select(CheckoutRow)
            .where(
                CheckoutRow.status == CheckoutStatus.PENDING_PAYMENT.value,
                CheckoutRow.expires_at <= now,
                ~in_flight,
            )
            .order_by(CheckoutRow.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_checkout(row) for row in rows.all()]


# --- orders ----------------------------------------------------------------------------------------


class SqlaOrderRepository(OrderRepository):
    """Orders with their lines and history; a page of orders takes three statements, whatever its size."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._known_events: dict[OrderId, int] = {}

    async def add_all(self, orders: Sequence[Order]) -> None:
        if not orders:
            return
        with constraint_errors():
            await self._session.execute(insert(OrderRow), [self._values(order) | {"id": order.id} for order in orders])
        with constraint_errors():
            await self._session.execute(
                insert(OrderLineRow),
                [
                    {
                        "order_id": order.id,
                        "position": position,
                        "product_id": line.unit.product_id,
                        "sku": line.unit.sku,
                        "name": line.name,
                        "unit_price_minor": line.unit_price.amount_minor,
                        "quantity": line.quantity,
                    }
                    for order in orders
                    for position, line in enumerate(order.lines, start=1)
                ],
            )
        await self._add_events(orders)

    async def save(self, order: Order) -> None:
        await self._session.execute(
            update(OrderRow)
            .where(OrderRow.id == order.id)
            .values(self._values(order) | {"updated_at": order.history[-1].at})
        )
        await self._add_events([order])

    async def _add_events(self, orders: Sequence[Order]) -> None:
        rows: list[dict[str, Any]] = []
        for order in orders:
            known = self._known_events.get(order.id, 0)
            rows.extend(
                {"id": _new_event_id(), "order_id": order.id, "status": e.status.value, "at": e.at, "note": e.note}
                for e in order.history[known:]
            )
            self._known_events[order.id] = len(order.history)
        if rows:
            with constraint_errors():
                await self._session.execute(insert(OrderEventRow), rows)

    @staticmethod
    def _values(order: Order) -> dict[str, Any]:
        return {
            "checkout_id": order.checkout_id,
            "buyer_id": order.buyer_id,
            "merchant_id": order.merchant_id,
            "status": order.status.value,
            "currency": order.total.currency.code,
            "subtotal_minor": order.subtotal.amount_minor,
            "tax_minor": order.tax.amount_minor,
            "total_minor": order.total.amount_minor,
            "commission_minor": order.commission.amount_minor,
            "tax_rate_bp": order.tax_rate.basis_points,
            "commission_rate_bp": order.commission_rate.basis_points,
            "carrier": order.shipment.carrier if order.shipment else None,
            "tracking_code": order.shipment.tracking_code if order.shipment else None,
            "created_at": order.created_at,
            "updated_at": order.history[-1].at if order.history else order.created_at,
            "delivered_at": order.delivered_at,
        }

    async def get(self, order_id: OrderId, *, for_update: bool = False) -> Order | None:
        statement = select(OrderRow).where(OrderRow.id == order_id)
        if for_update:
            statement = statement.with_for_update()
        rows = (await self._session.scalars(statement)).all()
        orders = await self._assemble(list(rows))
        return orders[0] if orders else None

    async def of_checkout(self, checkout_id: CheckoutId, *, for_update: bool = False) -> list[Order]:
        statement = select(OrderRow).where(OrderRow.checkout_id == checkout_id).order_by(OrderRow.merchant_id)
        if for_update:
            statement = statement.with_for_update()
        return await self._assemble(list((await self._session.scalars(statement)).all()))

    async def _assemble(self, rows: list[OrderRow]) -> list[Order]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        lines: dict[UUID, list[OrderLineRow]] = defaultdict(list)
        for line in (
            await self._session.scalars(
                select(OrderLineRow).where(OrderLineRow.order_id.in_(ids)).order_by(OrderLineRow.position)
            )
        ).all():
            lines[line.order_id].append(line)
        events: dict[UUID, list[OrderEventRow]] = defaultdict(list)
        for event in (
            await self._session.scalars(
                select(OrderEventRow).where(OrderEventRow.order_id.in_(ids)).order_by(OrderEventRow.id)
            )
        ).all():
            events[event.order_id].append(event)
        orders = [self._order(row, lines[row.id], events[row.id]) for row in rows]
        for order in orders:
            self._known_events[order.id] = len(order.history)
        return orders

    @staticmethod
    def _order(row: OrderRow, lines: list[OrderLineRow], events: list[OrderEventRow]) -> Order:
        currency = Currency(row.currency)
        return Order(
            id=OrderId(row.id),
            checkout_id=CheckoutId(row.checkout_id),
            buyer_id=UserId(row.buyer_id),
            merchant_id=MerchantId(row.merchant_id),
            lines=tuple(
                OrderLine(
                    unit=SellableUnit(ProductId(line.product_id), line.sku),
                    name=line.name,
                    unit_price=Money(line.unit_price_minor, currency),
                    quantity=line.quantity,
                )
                for line in lines
            ),
            tax_rate=Rate(row.tax_rate_bp),
            commission_rate=Rate(row.commission_rate_bp),
            subtotal=Money(row.subtotal_minor, currency),
            tax=Money(row.tax_minor, currency),
            total=Money(row.total_minor, currency),
            commission=Money(row.commission_minor, currency),
            status=OrderStatus(row.status),
            created_at=row.created_at,
            history=[OrderEvent(OrderStatus(event.status), event.at, event.note) for event in events],
            shipment=Shipment(row.carrier, row.tracking_code) if row.carrier and row.tracking_code else None,
            delivered_at=row.delivered_at,
        )

    async def list(self, scope: OrderScope, *, after: OrderId | None, limit: int) -> list[Order]:
        statement = select(OrderRow).order_by(OrderRow.id.desc()).limit(limit)
        if scope.buyer_id is not None:
            statement = statement.where(OrderRow.buyer_id == scope.buyer_id)
        if scope.merchant_id is not None:
            statement = statement.where(OrderRow.merchant_id == scope.merchant_id)
        if scope.status is not None:
            statement = statement.where(OrderRow.status == scope.status.value)
        if after is not None:
            statement = statement.where(OrderRow.id < after)
        return await self._assemble(list((await self._session.scalars(statement)).all()))


def _new_event_id() -> UUID:
    return uuid7()


# --- payments --------------------------------------------------------------------------------------


def _attempt(row: PaymentAttemptRow) -> PaymentAttempt:
    return PaymentAttempt(
        id=PaymentAttemptId(row.id),
        checkout_id=CheckoutId(row.checkout_id),
        amount=Money(row.amount_minor, Currency(row.currency)),
        status=PaymentStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        charge_reference=row.charge_reference,
        failure_reason=row.failure_reason,
    )


class SqlaPaymentAttemptRepository(PaymentAttemptRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, attempt: PaymentAttempt) -> None:
        self._session.add(
            PaymentAttemptRow(
                id=attempt.id,
                checkout_id=attempt.checkout_id,
                status=attempt.status.value,
                amount_minor=attempt.amount.amount_minor,
                currency=attempt.amount.currency.code,
                charge_reference=attempt.charge_reference,
                failure_reason=attempt.failure_reason,
                created_at=attempt.created_at,
                updated_at=attempt.updated_at,
            )
        )
        await flush(self._session)

    async def save(self, attempt: PaymentAttempt) -> None:
        await self._session.execute(
            update(PaymentAttemptRow)
            .where(PaymentAttemptRow.id == attempt.id)
            .values(
                status=attempt.status.value,
                charge_reference=attempt.charge_reference,
                failure_reason=attempt.failure_reason,
                updated_at=attempt.updated_at,
            )
        )

    async def get(self, attempt_id: UUID) -> PaymentAttempt | None:
        row = await self._session.scalar(select(PaymentAttemptRow).where(PaymentAttemptRow.id == attempt_id))
        return _attempt(row) if row is not None else None

    async def open_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        row = await self._session.scalar(
            select(PaymentAttemptRow).where(
                PaymentAttemptRow.checkout_id == checkout_id,
                PaymentAttemptRow.status.in_([PaymentStatus.PENDING.value, PaymentStatus.UNKNOWN.value]),
            )
        )
        return _attempt(row) if row is not None else None

    async def approved_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        row = await self._session.scalar(
            select(PaymentAttemptRow).where(
                PaymentAttemptRow.checkout_id == checkout_id,
                PaymentAttemptRow.status == PaymentStatus.APPROVED.value,
            )
        )
        return _attempt(row) if row is not None else None

    async def unsettled_of_expired_checkouts(self, *, limit: int) -> list[PaymentAttempt]:
        rows = await self._session.scalars(
            select(PaymentAttemptRow)
            .join(CheckoutRow, CheckoutRow.id == PaymentAttemptRow.checkout_id)
            .where(
                CheckoutRow.status == CheckoutStatus.EXPIRED.value,
                PaymentAttemptRow.status.in_([PaymentStatus.PENDING.value, PaymentStatus.UNKNOWN.value]),
            )
            .order_by(PaymentAttemptRow.id)
            .limit(limit)
        )
        return [_attempt(row) for row in rows.all()]


# --- idempotency keys ------------------------------------------------------------------------------


class SqlaIdempotencyKeys(IdempotencyKeys):
    """``INSERT .. ON CONFLICT DO NOTHING``: a duplicate blocks on the first one's uncommitted row.

    Under READ COMMITTED the waiting insert resumes when the first transaction
    ends: after a commit it does nothing and the following SELECT sees the
    stored response; after a rollback it inserts, and this request owns the key.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, owner: UserId, key: str, fingerprint: str, *, now: datetime, keep_until: datetime
    ) -> StoredResponse | None:
        claimed = await self._session.scalar(
            insert(IdempotencyKeyRow)
            .values(owner_id=owner, key=key, fingerprint=fingerprint, created_at=now, keep_until=keep_until)
            .on_conflict_do_nothing(index_elements=[IdempotencyKeyRow.owner_id, IdempotencyKeyRow.key])
            .returning(IdempotencyKeyRow.key)
        )
        if claimed is not None:
            return None
        row = (
            await self._session.execute(
                select(
                    IdempotencyKeyRow.fingerprint, IdempotencyKeyRow.status_code, IdempotencyKeyRow.response_body
                ).where(IdempotencyKeyRow.owner_id == owner, IdempotencyKeyRow.key == key)
            )
        ).one()
        return StoredResponse(
            fingerprint=row.fingerprint, status_code=row.status_code or 0, body=row.response_body or b""
        )

    async def complete(self, owner: UserId, key: str, *, status_code: int, body: bytes) -> None:
        await self._session.execute(
            update(IdempotencyKeyRow)
            .where(IdempotencyKeyRow.owner_id == owner, IdempotencyKeyRow.key == key)
            .values(status_code=status_code, response_body=body)
        )

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.keep_until < moment))
        return int(getattr(result, "rowcount", 0) or 0)


# --- invoices --------------------------------------------------------------------------------------


def _line_json(line: OrderLine) -> dict[str, Any]:
    return {
        "product_id": str(line.unit.product_id),
        "sku": line.unit.sku,
        "name": line.name,
        "unit_price_minor": line.unit_price.amount_minor,
        "quantity": line.quantity,
    }


class SqlaInvoiceRepository(InvoiceRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_number(self, merchant_id: MerchantId, kind: InvoiceKind) -> int:
        # Insert the first number or increment the last: either way the row stays locked until the
        # transaction ends, so concurrent payments of one store take numbers one after the other,
        # and a rolled-back payment gives its number back: the sequence has no gaps.
        number = await self._session.scalar(
            insert(DocumentSequenceRow)
            .values(merchant_id=merchant_id, kind=kind.value, last_number=1)
            .on_conflict_do_update(
                index_elements=[DocumentSequenceRow.merchant_id, DocumentSequenceRow.kind],
                set_={"last_number": DocumentSequenceRow.last_number + 1},
            )
            .returning(DocumentSequenceRow.last_number)
        )
        return int(number or 0)

    async def add(self, invoice: Invoice) -> None:
        with constraint_errors():
            await self._session.execute(
                insert(InvoiceRow).values(
                    id=invoice.id,
                    kind=invoice.kind.value,
                    number=invoice.number,
                    merchant_id=invoice.merchant_id,
                    order_id=invoice.order_id,
                    credits_id=invoice.credits,
                    issuer_name=invoice.issuer.name,
                    issuer_tax_id=invoice.issuer.tax_id,
                    buyer_name=invoice.buyer.name,
                    buyer_tax_id=invoice.buyer.tax_id,
                    lines=[_line_json(line) for line in invoice.lines],
                    currency=invoice.total.currency.code,
                    subtotal_minor=invoice.subtotal.amount_minor,
                    tax_minor=invoice.tax.amount_minor,
                    total_minor=invoice.total.amount_minor,
                    issued_at=invoice.issued_at,
                )
            )

    async def of_order(self, order_id: OrderId) -> list[Invoice]:
        rows = await self._session.scalars(
            select(InvoiceRow).where(InvoiceRow.order_id == order_id).order_by(InvoiceRow.id)
        )
        return [self._invoice(row) for row in rows.all()]

    @staticmethod
    def _invoice(row: InvoiceRow) -> Invoice:
        currency = Currency(row.currency)
        return Invoice(
            id=InvoiceId(row.id),
            kind=InvoiceKind(row.kind),
            number=row.number,
            merchant_id=MerchantId(row.merchant_id),
            order_id=OrderId(row.order_id),
            issuer=Party(row.issuer_name, row.issuer_tax_id),
            buyer=Party(row.buyer_name, row.buyer_tax_id),
            lines=tuple(
                OrderLine(
                    unit=SellableUnit(ProductId(UUID(line["product_id"])), line["sku"]),
                    name=line["name"],
                    unit_price=Money(line["unit_price_minor"], currency),
                    quantity=line["quantity"],
                )
                for line in row.lines
            ),
            subtotal=Money(row.subtotal_minor, currency),
            tax=Money(row.tax_minor, currency),
            total=Money(row.total_minor, currency),
            issued_at=row.issued_at,
            credits=InvoiceId(row.credits_id) if row.credits_id else None,
        )


# --- the merchants' ledger -------------------------------------------------------------------------


class SqlaMerchantLedger(MerchantLedger):
    def __init__(self, session: AsyncSession, currency: Currency) -> None:
        self._session = session
        self._currency = currency

    async def record(self, entries: Sequence[LedgerEntry]) -> None:
        if not entries:
            return
        await flush(self._session)
        with constraint_errors():
            await self._session.execute(
                insert(MerchantLedgerEntryRow),
                [
                    {
                        "id": entry.id,
                        "merchant_id": entry.merchant_id,
                        "order_id": entry.order_id,
                        "kind": entry.kind.value,
                        "amount_minor": entry.amount_minor,
                        "currency": entry.currency.code,
                        "created_at": entry.created_at,
                    }
                    for entry in entries
                ],
            )

    async def balance(self, merchant_id: MerchantId, *, available_before: datetime) -> Balance:
        available = (OrderRow.status == OrderStatus.DELIVERED.value) & (OrderRow.delivered_at < available_before)
        row = (
            await self._session.execute(
                select(
                    func.coalesce(func.sum(case((available, 0), else_=MerchantLedgerEntryRow.amount_minor)), 0),
                    func.coalesce(func.sum(case((available, MerchantLedgerEntryRow.amount_minor), else_=0)), 0),
                )
                .join(OrderRow, OrderRow.id == MerchantLedgerEntryRow.order_id)
                .where(MerchantLedgerEntryRow.merchant_id == merchant_id)
            )
        ).one()
        return Balance(pending=Money(int(row[0]), self._currency), available=Money(int(row[1]), self._currency))

    async def entries(self, merchant_id: MerchantId, *, after: UUID | None, limit: int) -> list[LedgerEntry]:
        statement = (
            select(MerchantLedgerEntryRow)
            .where(MerchantLedgerEntryRow.merchant_id == merchant_id)
            .order_by(MerchantLedgerEntryRow.id.desc())
            .limit(limit)
        )
        if after is not None:
            statement = statement.where(MerchantLedgerEntryRow.id < after)
        return [
            LedgerEntry(
                id=row.id,
                merchant_id=MerchantId(row.merchant_id),
                order_id=OrderId(row.order_id),
                kind=EntryKind(row.kind),
                amount_minor=row.amount_minor,
                currency=Currency(row.currency),
                created_at=row.created_at,
            )
            for row in (await self._session.scalars(statement)).all()
        ]
