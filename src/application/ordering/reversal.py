"""Undoing a paid order (customer cancel, staff refund): stock, ledger, credit note, then the money."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from application.ordering.notifications import tell_buyer, tell_stores
from application.ordering.stock import StockChange, announce, release
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator
from application.ports.ordering import OrderingUnitOfWork, PaymentGateway
from application.use_case import use_case
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
class Reversal:
    """What a reversed order still owes once its transaction has committed: stock news and the refund."""

    stock: list[StockChange]
    refund_key: UUID
    charge_reference: str
    amount: Money


@use_case
class OrderReversal:
    """The ports and steps of the use cases that undo a paid order (``CancelOrder``, ``RefundOrder``)."""

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    ids: IdGenerator
    gateway: PaymentGateway
    cache: CatalogCacheInvalidation

    async def reverse_and_commit(
        self,
        uow: OrderingUnitOfWork,
        order: Order,
        *,
        returns_stock: bool,
        notice: str,
        actor_id: UserId,
        now: datetime,
    ) -> Reversal:
        """Once the order has moved: save it, stock back if it never shipped, the ledger's reversing entries,
        a credit note for the invoice, the buyer and the store told; all in the caller's transaction, which
        this commits."""
        await uow.orders.save(order)
        changes: list[StockChange] = []
        if returns_stock:
            changes = await release(
                uow, [order], reason=f"order {order.status}", actor_id=actor_id, ids=self.ids, now=now
            )
        await uow.merchant_ledger.record(reversal_entries(order, self.ids.new_id, now))
        merchant = await uow.merchants.get(order.merchant_id)
        invoice = next(
            (document for document in await uow.invoices.of_order(order.id) if document.kind is InvoiceKind.INVOICE),
            None,
        )
        if merchant is not None and invoice is not None:
            sequence = await uow.invoices.next_number(order.merchant_id, InvoiceKind.CREDIT_NOTE)
            await uow.invoices.add(
                invoice.credit_note(
                    id=InvoiceId(self.ids.new_id()),
                    number=document_number(store_code(merchant.legal_id), InvoiceKind.CREDIT_NOTE, sequence),
                    now=now,
                )
            )
        payment = await uow.payments.approved_for(order.checkout_id)
        if payment is None or payment.charge_reference is None:
            raise Conflict("the order has no approved payment to refund", field="order")
        await tell_buyer(uow, order.buyer_id, "order_refunded", {"order_id": str(order.id)})
        await tell_stores(uow, [order], notice)
        await uow.commit()
        return Reversal(changes, refund_key(order), payment.charge_reference, order.total)

    async def settle(self, reversal: Reversal) -> None:
        """After the commit: the money goes back, then the public pages learn of the stock that came back."""
        await self.gateway.refund(
            idempotency_key=reversal.refund_key, charge_reference=reversal.charge_reference, amount=reversal.amount
        )
        await announce(self.cache, reversal.stock)
