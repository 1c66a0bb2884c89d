"""Undoing a paid order (customer cancel, staff refund): stock, ledger, credit note, then the money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from application.ordering.notifications import tell_buyer, tell_stores
from application.ordering.stock import StockChange, release
from application.ports import IdGenerator
from application.ports.ordering import OrderingUnitOfWork, PaymentGateway
from domain.errors import Conflict
from domain.identity.roles import UserId
from domain.money import Money
from domain.ordering.invoices import InvoiceId, InvoiceKind, document_number, store_code
from domain.ordering.ledger import reversal_entries
from domain.ordering.orders import Order


def refund_key(order: Order) -> UUID:
    """One refund per order, ever: the gateway key is derived from the order id."""
    return uuid5(NAMESPACE_URL, f"commerce:refund:{order.id}")


@dataclass(frozen=True, slots=True)
class PendingRefund:
    key: UUID
    charge_reference: str
    amount: Money


async def reverse_order(
    uow: OrderingUnitOfWork,
    order: Order,
    *,
    returns_stock: bool,
    store_notice: str,
    actor_id: UserId,
    ids: IdGenerator,
    now: datetime,
) -> tuple[list[StockChange], PendingRefund]:
    """In the caller's transaction, once the order has moved: save it, stock back if it never shipped,
    the ledger's reversing entries, a credit note for the invoice, the buyer and the store told;
    returns the refund to send after commit."""
    await uow.orders.save(order)
    changes: list[StockChange] = []
    if returns_stock:
        changes = await release(uow, [order], reason=f"order {order.status}", actor_id=actor_id, ids=ids, now=now)
    await uow.merchant_ledger.record(reversal_entries(order, ids.new_id, now))
    merchant = await uow.merchants.get(order.merchant_id)
    invoice = next(
        (document for document in await uow.invoices.of_order(order.id) if document.kind is InvoiceKind.INVOICE), None
    )
    if merchant is not None and invoice is not None:
        sequence = await uow.invoices.next_number(order.merchant_id, InvoiceKind.CREDIT_NOTE)
        await uow.invoices.add(
            invoice.credit_note(
                id=InvoiceId(ids.new_id()),
                number=document_number(store_code(merchant.legal_id), InvoiceKind.CREDIT_NOTE, sequence),
                now=now,
            )
        )
    payment = await uow.payments.approved_for(order.checkout_id)
    if payment is None or payment.charge_reference is None:
        raise Conflict("the order has no approved payment to refund", field="order")
    await tell_buyer(uow, order.buyer_id, "order_refunded", {"order_id": str(order.id)})
    await tell_stores(uow, [order], store_notice)
    return changes, PendingRefund(refund_key(order), payment.charge_reference, order.total)


async def send_refund(gateway: PaymentGateway, refund: PendingRefund) -> None:
    await gateway.refund(idempotency_key=refund.key, charge_reference=refund.charge_reference, amount=refund.amount)
