"""PostgreSQL invoices with their gap-free per-store numbers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import (
    DocumentSequenceRow,
    InvoiceRow,
)
from application.ports.ordering import InvoiceRepository
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.money import Currency, Money
from domain.ordering.cart import SellableUnit
from domain.ordering.invoices import Invoice, InvoiceId, InvoiceKind, Party
from domain.ordering.orders import OrderId, OrderLine


def _line_json(line: OrderLine) -> dict[str, Any]:
    return {
        "product_id": str(line.unit.product_id),
        "sku": line.unit.sku,
        "name": line.name,
        "unit_price_minor": line.unit_price.amount_minor,
        "quantity": line.quantity,
    }


# Built once: each paid order runs both, the first with its store's counter row locked until commit.
_NEXT_NUMBER = Prepared(
    insert(DocumentSequenceRow)
    .on_conflict_do_update(
        index_elements=[DocumentSequenceRow.merchant_id, DocumentSequenceRow.kind],
        set_={"last_number": DocumentSequenceRow.last_number + 1},
    )
    .returning(DocumentSequenceRow.last_number)
)
_ISSUE = Prepared(insert(InvoiceRow))


class SqlaInvoiceRepository(InvoiceRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_number(self, merchant_id: MerchantId, kind: InvoiceKind) -> int:
        # Insert the first number or increment the last: either way the row stays locked until the
        # transaction ends, so concurrent payments of one store take numbers one after the other,
        # and a rolled-back payment gives its number back: the sequence has no gaps.
        connection = await connection_of(self._session)
        number = await connection.scalar(
            _NEXT_NUMBER, {"merchant_id": merchant_id, "kind": kind.value, "last_number": 1}
        )
        return int(number or 0)

    async def add(self, invoice: Invoice) -> None:
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _ISSUE,
                {
                    "id": invoice.id,
                    "kind": invoice.kind.value,
                    "number": invoice.number,
                    "merchant_id": invoice.merchant_id,
                    "order_id": invoice.order_id,
                    "credits_id": invoice.credits,
                    "issuer_name": invoice.issuer.name,
                    "issuer_tax_id": invoice.issuer.tax_id,
                    "buyer_name": invoice.buyer.name,
                    "buyer_tax_id": invoice.buyer.tax_id,
                    "lines": [_line_json(line) for line in invoice.lines],
                    "currency": invoice.total.currency.code,
                    "subtotal_minor": invoice.subtotal.amount_minor,
                    "tax_minor": invoice.tax.amount_minor,
                    "total_minor": invoice.total.amount_minor,
                    "issued_at": invoice.issued_at,
                },
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
