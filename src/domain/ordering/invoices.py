"""Invoices and credit notes: numbered per store without gaps, immutable once issued."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue
from domain.money import Money
from domain.ordering.orders import Order, OrderId, OrderLine

InvoiceId = NewType("InvoiceId", UUID)


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


def store_code(legal_id: str) -> str:
    """The store's prefix on its documents: its legal id, letters and digits only (``900123456-1`` → ``9001234561``)."""
    code = re.sub(r"[^A-Z0-9]", "", legal_id.upper())
    if not code:
        raise InvalidValue("a store code needs letters or digits", field="legal_id", rule="store_code")
    return code


def document_number(code: str, kind: InvoiceKind, sequence: int) -> str:
    """``<code>-000001`` for invoices, ``<code>-NC-000001`` for credit notes (each kind its own sequence)."""
    if sequence < 1:
        raise InvalidValue("document sequences start at 1", rule="sequence")
    infix = "" if kind is InvoiceKind.INVOICE else "NC-"
    return f"{code}-{infix}{sequence:06d}"


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    tax_id: str


@dataclass(frozen=True, slots=True)
class Invoice:
    """Frozen: an issued document is never edited; a refund issues a credit note instead."""

    id: InvoiceId
    kind: InvoiceKind
    number: str
    merchant_id: MerchantId
    order_id: OrderId
    issuer: Party
    buyer: Party
    lines: tuple[OrderLine, ...]
    subtotal: Money
    tax: Money
    total: Money
    issued_at: datetime
    credits: InvoiceId | None = None

    @classmethod
    def for_order(
        cls, *, id: InvoiceId, number: str, order: Order, issuer: Party, buyer: Party, now: datetime
    ) -> Invoice:
        return cls(
            id=id,
            kind=InvoiceKind.INVOICE,
            number=number,
            merchant_id=order.merchant_id,
            order_id=order.id,
            issuer=issuer,
            buyer=buyer,
            lines=order.lines,
            subtotal=order.subtotal,
            tax=order.tax,
            total=order.total,
            issued_at=now,
        )

    def credit_note(self, *, id: InvoiceId, number: str, now: datetime) -> Invoice:
        """The whole amount of this invoice, credited back."""
        if self.kind is not InvoiceKind.INVOICE:
            raise InvalidValue("only an invoice can be credited", field="invoice", rule="credit_note")
        return replace(self, id=id, kind=InvoiceKind.CREDIT_NOTE, number=number, issued_at=now, credits=self.id)
