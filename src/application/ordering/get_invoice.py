"""Use case: read an order's invoice (and its credit notes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.access import readable_order
from application.ordering.get_order import GetOrderQuery
from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.errors import NotFound
from domain.ordering.invoices import Invoice, InvoiceKind

GetInvoiceQuery = GetOrderQuery
"""An invoice is asked for by its order, with the same rule of who may read it."""


@dataclass(frozen=True, slots=True)
class OrderDocuments:
    invoice: Invoice
    credit_notes: list[Invoice]


@use_case
class GetInvoice:
    """The buyer and the selling store's people (and platform staff); unpaid orders have none (404)."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: GetInvoiceQuery) -> OrderDocuments:
        async with self.unit_of_work() as uow:
            order = await readable_order(uow, query.actor, query.order_id)
            documents = await uow.invoices.of_order(order.id)
        invoice = next((document for document in documents if document.kind is InvoiceKind.INVOICE), None)
        if invoice is None:
            raise NotFound("this order has no invoice yet: it is issued on payment")
        return OrderDocuments(
            invoice=invoice,
            credit_notes=[document for document in documents if document.kind is InvoiceKind.CREDIT_NOTE],
        )
