"""Use case: a customer pays a checkout by card, safely retryable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from application.ordering.access import buyers_checkout
from application.ordering.notifications import tell_buyer, tell_buyer_and_stores
from application.ordering.place_checkout import PlacedCheckout
from application.ports import Clock, IdGenerator
from application.ports.ordering import ChargeOutcome, ChargeResult, OrderingUnitOfWork, PaymentGateway
from application.use_case import use_case
from domain.catalog.merchants import Merchant
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import Actor
from domain.ordering.cart import Cart
from domain.ordering.checkouts import Checkout, CheckoutStatus
from domain.ordering.invoices import Invoice, InvoiceId, InvoiceKind, Party, document_number, store_code
from domain.ordering.ledger import sale_entries
from domain.ordering.orders import CheckoutId, Order, OrderStatus
from domain.ordering.payments import (
    PaymentAttempt,
    PaymentAttemptId,
    PaymentDeclined,
    PaymentFailed,
    PaymentOutcomeUnknown,
    PaymentStatus,
)

PAYMENT_METHODS = ("card",)


def void_key(attempt: PaymentAttempt) -> PaymentAttemptId:
    """The refund of a charge that came back too late has a key of its own, derived from the attempt's."""
    return PaymentAttemptId(uuid5(NAMESPACE_URL, f"commerce:void:{attempt.id}"))


@dataclass(frozen=True, slots=True)
class PayCheckoutCommand:
    actor: Actor
    checkout_id: CheckoutId
    method: str
    token: str


@dataclass(frozen=True, slots=True)
class PaidCheckout:
    placed: PlacedCheckout
    payment: PaymentAttempt
    invoices: list[Invoice]


@use_case
class PayCheckout:
    """Charge the checkout's total and, once approved, make its orders paid.

    The payment attempt is recorded (committed) *before* the gateway is called
    and its id is the gateway's idempotency key. While an attempt is open
    (pending, or unknown after a timeout) every retry re-sends that same key:
    the gateway answers with the charge it already made instead of making
    another, so a retry never charges twice and never loses a charge.

    - approved → 200: checkout and orders paid, one invoice per store (numbered
      from the store's gap-free sequence in this transaction), a sale credit and
      a commission debit in the store's ledger, the cart emptied, everybody told;
    - declined → 402, failed → 502: the attempt is closed, the checkout stays
      payable until it expires;
    - timed out → 504, the attempt stays open as ``unknown``; retry.
    - a paid checkout → 409; an expired one → 409 (an open attempt is still
      settled first: a charge that comes back for it is refunded at once).
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    ids: IdGenerator
    gateway: PaymentGateway

    async def __call__(self, command: PayCheckoutCommand) -> PaidCheckout:
        if command.method not in PAYMENT_METHODS:
            raise InvalidValue("the payment method is 'card'", field="method", rule="payment_method")
        token = command.token.strip()
        if not 1 <= len(token) <= 200:
            raise InvalidValue("a card token has 1 to 200 characters", field="token", rule="token")

        attempt = await self._open_attempt(command)
        result = await self.gateway.charge(idempotency_key=attempt.id, amount=attempt.amount, token=token)
        return await self._settle(command, attempt, result)

    async def _open_attempt(self, command: PayCheckoutCommand) -> PaymentAttempt:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            checkout = await buyers_checkout(uow, command.actor, command.checkout_id, for_update=True)
            attempt = await uow.payments.open_for(checkout.id)
            if attempt is None:
                checkout.ensure_payable(now)
                attempt = PaymentAttempt(
                    id=PaymentAttemptId(self.ids.new_id()),
                    checkout_id=checkout.id,
                    amount=checkout.total,
                    status=PaymentStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
                await uow.payments.add(attempt)
                await uow.commit()
            elif checkout.status is CheckoutStatus.PAID:  # pragma: no cover - paying closes the attempt
                checkout.ensure_payable(now)
        return attempt

    async def _settle(self, command: PayCheckoutCommand, opened: PaymentAttempt, result: ChargeResult) -> PaidCheckout:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            checkout = await buyers_checkout(uow, command.actor, command.checkout_id, for_update=True)
            attempt = await uow.payments.get(opened.id)
            if attempt is None:  # pragma: no cover - attempts are never deleted
                raise Conflict("the payment attempt disappeared", field="payment")
            if not attempt.is_open:
                # Settled meanwhile: by a concurrent retry (same key, same answer) or by the expiry job.
                if attempt.status is PaymentStatus.APPROVED and checkout.status is CheckoutStatus.PAID:
                    orders = await uow.orders.of_checkout(checkout.id)
                    invoices = [invoice for order in orders for invoice in await uow.invoices.of_order(order.id)]
                    return PaidCheckout(PlacedCheckout(checkout, orders), attempt, invoices)
                if result.outcome is not ChargeOutcome.APPROVED:
                    raise Conflict(f"this payment attempt is already {attempt.status}", field="payment")
                late_charge = PaymentAttempt(
                    id=attempt.id,
                    checkout_id=attempt.checkout_id,
                    amount=attempt.amount,
                    status=PaymentStatus.VOIDED,
                    created_at=attempt.created_at,
                    updated_at=now,
                    charge_reference=result.reference,
                )
            elif result.outcome is ChargeOutcome.APPROVED:
                reference = result.reference or ""
                if checkout.status is CheckoutStatus.PENDING_PAYMENT and now < checkout.expires_at:
                    attempt.approve(reference, now)
                    await uow.payments.save(attempt)
                    paid = await self._complete(uow, checkout, attempt, now)
                    await uow.commit()
                    return paid
                attempt.void(reference, now)
                await uow.payments.save(attempt)
                await uow.commit()
                late_charge = attempt
            elif result.outcome is ChargeOutcome.DECLINED:
                attempt.decline(result.reason or "declined", now)
                await uow.payments.save(attempt)
                await tell_buyer(uow, checkout.buyer_id, "payment_failed", {"checkout_id": str(checkout.id)})
                await uow.commit()
                raise PaymentDeclined(f"the card was declined: {result.reason or 'no reason given'}", field="token")
            elif result.outcome is ChargeOutcome.TIMED_OUT:
                attempt.outcome_unknown(now)
                await uow.payments.save(attempt)
                await uow.commit()
                raise PaymentOutcomeUnknown(
                    "the payment gateway did not answer in time; retry: it will never charge twice",
                    payment_id=attempt.id,
                )
            else:
                attempt.fail(result.reason or "gateway error", now)
                await uow.payments.save(attempt)
                await uow.commit()
                raise PaymentFailed("the payment gateway failed; nothing was charged, try again", field="payment")
        # Approved after the checkout expired: the units are gone, so the money goes back.
        await self.gateway.refund(
            idempotency_key=void_key(late_charge),
            charge_reference=late_charge.charge_reference or "",
            amount=late_charge.amount,
        )
        raise Conflict("this checkout has expired; the charge was refunded", field="checkout")

    async def _complete(
        self, uow: OrderingUnitOfWork, checkout: Checkout, attempt: PaymentAttempt, now: datetime
    ) -> PaidCheckout:
        """Everything but the invoices first; the invoices last, each store's counter locked until commit.

        Taking a number locks the store's counter row until this transaction ends (that is what keeps
        the sequence gap-free), so every other write comes before it: payments to one store wait on
        each other for the invoice inserts and the commit only.
        """
        checkout.mark_paid(now)
        await uow.checkouts.save(checkout)
        orders = await uow.orders.of_checkout(checkout.id, for_update=True)
        buyer = await uow.users.get(checkout.buyer_id)
        buyer_party = Party(
            name=f"{buyer.first_name} {buyer.last_name}" if buyer else "",
            tax_id=buyer.national_id.value if buyer else "",
        )
        paying: list[tuple[Order, Merchant]] = []
        for order in orders:
            if order.status is not OrderStatus.PENDING_PAYMENT:
                continue
            order.pay(now)
            await uow.orders.save(order)
            merchant = await uow.merchants.get(order.merchant_id)
            if merchant is None:  # pragma: no cover - stores are never deleted
                raise Conflict("the store of an order is gone", field="order")
            paying.append((order, merchant))
        await uow.merchant_ledger.record(
            [entry for order, _ in paying for entry in sale_entries(order, self.ids.new_id, now)]
        )
        await uow.carts.save(Cart(checkout.buyer_id))  # emptied: saving no lines replaces them all
        await tell_buyer_and_stores(
            uow,
            orders,
            buyer_id=checkout.buyer_id,
            buyer_kind="payment_received",
            buyer_payload={"checkout_id": str(checkout.id), "total_minor": str(checkout.total.amount_minor)},
            store_kind="order_paid",
            buyer=buyer,
            merchants={merchant.id: merchant for _, merchant in paying},
        )
        invoices: list[Invoice] = []
        for order, merchant in paying:  # by store id: the invoice counters are locked in that order
            sequence = await uow.invoices.next_number(order.merchant_id, InvoiceKind.INVOICE)
            invoice = Invoice.for_order(
                id=InvoiceId(self.ids.new_id()),
                number=document_number(store_code(merchant.legal_id), InvoiceKind.INVOICE, sequence),
                order=order,
                issuer=Party(name=merchant.name, tax_id=merchant.legal_id),
                buyer=buyer_party,
                now=now,
            )
            await uow.invoices.add(invoice)
            invoices.append(invoice)
        return PaidCheckout(PlacedCheckout(checkout, orders), attempt, invoices)
