"""Wire formats of the buying routes. Money is always ``{amount_minor, currency}``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from application.ordering.get_invoice import OrderDocuments
from application.ordering.place_checkout import AddressInput, PlacedCheckout
from application.ordering.view_cart import CartView
from application.ports.ordering import Balance
from domain.money import Money
from domain.ordering.invoices import Invoice
from domain.ordering.ledger import LedgerEntry
from domain.ordering.orders import Order, OrderLine
from entrypoints.http.input import line, multiline
from entrypoints.http.shared import Copied, RequestBody, copy_into, fields_of


class Amount(msgspec.Struct):
    amount_minor: int
    currency: str

    @classmethod
    def of(cls, money: Money) -> Amount:
        return cls(amount_minor=money.amount_minor, currency=money.currency.code)


# --- requests -------------------------------------------------------------------------------------


MAX_CART_QUANTITY = 99
"""The most units of one product a cart line can hold; ``COMMERCE_CART_QUANTITY_CAP`` can only lower it."""


class CartItemUpdate(RequestBody):
    quantity: Annotated[
        int, Meta(ge=0, le=MAX_CART_QUANTITY, description="0 removes the line; at most the cart cap (99 by default)")
    ]


class AddressBody(RequestBody):
    recipient: Annotated[str, line(max_length=200)]
    line1: Annotated[str, line(max_length=300)]
    city: Annotated[str, line(max_length=200)]
    region: Annotated[str, line(max_length=200)]
    country: Annotated[str, line(max_length=10, description="ISO 3166-1 alpha-2, e.g. CO")]
    phone: Annotated[str, line(max_length=40)]
    line2: Annotated[str, line(max_length=300)] | None = None
    postal_code: Annotated[str, line(max_length=20)] | None = None

    def to_input(self) -> AddressInput:
        return AddressInput(**fields_of(self))


class CheckoutRequest(RequestBody):
    shipping_address: AddressBody


class PaymentRequest(RequestBody):
    method: Annotated[str, line(max_length=20, description="'card'")]
    token: Annotated[str, line(max_length=200, description="A card token from the gateway's client library")]


class ShipmentRequest(RequestBody):
    carrier: Annotated[str, line(max_length=100)]
    tracking_code: Annotated[str, line(max_length=100)]


class CommissionRate(RequestBody):
    basis_points: Annotated[int, Meta(ge=0, le=10_000, description="1000 = 10 %; from 0 to 10000")]


class RefundRequest(RequestBody):
    reason: Annotated[str, multiline(max_length=600)]


# --- cart -----------------------------------------------------------------------------------------


class CartLineResponse(msgspec.Struct):
    product_id: UUID
    merchant_id: UUID | None
    sku: str
    name: str | None
    quantity: int
    unit_price: Amount
    price_when_added: Amount
    line_total: Amount
    available: bool
    price_changed: bool


class CartResponse(msgspec.Struct):
    lines: list[CartLineResponse]
    total: Amount
    needs_attention: bool

    @classmethod
    def of(cls, view: CartView) -> CartResponse:
        lines = [
            copy_into(
                CartLineResponse,
                line,
                unit_price=Amount.of(line.unit_price),
                price_when_added=Amount.of(line.price_when_added),
                line_total=Amount.of(line.line_total),
            )
            for line in view.lines
        ]
        return cls(lines=lines, total=Amount.of(view.total), needs_attention=view.has_problems)


# --- orders and checkouts -------------------------------------------------------------------------


class OrderLineResponse(msgspec.Struct):
    product_id: UUID
    sku: str
    name: str
    unit_price: Amount
    quantity: int
    line_total: Amount

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineResponse:
        return cls(
            product_id=line.unit.product_id,
            sku=line.unit.sku,
            name=line.name,
            unit_price=Amount.of(line.unit_price),
            quantity=line.quantity,
            line_total=Amount.of(line.total),
        )


class OrderEventResponse(msgspec.Struct):
    status: str
    at: datetime
    note: str | None


class ShipmentResponse(Copied):
    carrier: str
    tracking_code: str


class OrderResponse(msgspec.Struct):
    id: UUID
    checkout_id: UUID
    merchant_id: UUID
    buyer_id: UUID
    status: str
    lines: list[OrderLineResponse]
    subtotal: Amount
    tax_rate_basis_points: int
    tax: Amount
    total: Amount
    commission_rate_basis_points: int
    commission: Amount
    shipment: ShipmentResponse | None
    history: list[OrderEventResponse]
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, order: Order) -> OrderResponse:
        return copy_into(
            cls,
            order,
            lines=[OrderLineResponse.of(line) for line in order.lines],
            subtotal=Amount.of(order.subtotal),
            tax_rate_basis_points=order.tax_rate.basis_points,
            tax=Amount.of(order.tax),
            total=Amount.of(order.total),
            commission_rate_basis_points=order.commission_rate.basis_points,
            commission=Amount.of(order.commission),
        )


class OrderPage(msgspec.Struct):
    items: list[OrderResponse]
    next_cursor: str | None


class AddressResponse(Copied):
    recipient: str
    line1: str
    line2: str | None
    city: str
    region: str
    postal_code: str | None
    country: str
    phone: str


class CheckoutResponse(msgspec.Struct):
    id: UUID
    status: str
    total: Amount
    expires_at: datetime
    created_at: datetime
    shipping_address: AddressResponse
    orders: list[OrderResponse]

    @classmethod
    def of(cls, placed: PlacedCheckout) -> CheckoutResponse:
        orders = [OrderResponse.of(order) for order in placed.orders]
        return copy_into(cls, placed.checkout, total=Amount.of(placed.checkout.total), orders=orders)


def encode_checkout(placed: PlacedCheckout) -> bytes:
    return msgspec.json.encode(CheckoutResponse.of(placed))


# --- invoices -------------------------------------------------------------------------------------


class PartyResponse(msgspec.Struct):
    name: str
    tax_id: str


class InvoiceResponse(msgspec.Struct):
    id: UUID
    kind: str
    number: str
    order_id: UUID
    merchant_id: UUID
    issuer: PartyResponse
    buyer: PartyResponse
    lines: list[OrderLineResponse]
    subtotal: Amount
    tax: Amount
    total: Amount
    issued_at: datetime
    credits: UUID | None

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceResponse:
        return copy_into(
            cls,
            invoice,
            lines=[OrderLineResponse.of(line) for line in invoice.lines],
            subtotal=Amount.of(invoice.subtotal),
            tax=Amount.of(invoice.tax),
            total=Amount.of(invoice.total),
        )


class OrderDocumentsResponse(msgspec.Struct):
    invoice: InvoiceResponse
    credit_notes: list[InvoiceResponse]

    @classmethod
    def of(cls, documents: OrderDocuments) -> OrderDocumentsResponse:
        return cls(
            invoice=InvoiceResponse.of(documents.invoice),
            credit_notes=[InvoiceResponse.of(note) for note in documents.credit_notes],
        )


class PaymentResponse(msgspec.Struct):
    id: UUID
    status: str


class PaidCheckoutResponse(msgspec.Struct):
    checkout: CheckoutResponse
    payment: PaymentResponse
    invoices: list[InvoiceResponse]


# --- merchant balance -----------------------------------------------------------------------------


class LedgerEntryResponse(msgspec.Struct):
    id: UUID
    order_id: UUID
    kind: str
    amount_minor: int
    currency: str
    created_at: datetime

    @classmethod
    def of(cls, entry: LedgerEntry) -> LedgerEntryResponse:
        return copy_into(cls, entry, currency=entry.currency.code)


class BalanceResponse(msgspec.Struct):
    pending: Amount
    available: Amount
    entries: list[LedgerEntryResponse]
    next_cursor: str | None

    @classmethod
    def of(cls, balance: Balance, entries: list[LedgerEntry], next_cursor: str | None) -> BalanceResponse:
        return cls(
            pending=Amount.of(balance.pending),
            available=Amount.of(balance.available),
            entries=[LedgerEntryResponse.of(entry) for entry in entries],
            next_cursor=next_cursor,
        )
