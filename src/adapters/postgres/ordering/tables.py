"""ORM tables of buying, on the same metadata as the rest (imported by ``adapters.postgres.tables``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

ORDER_STATUSES = ("pending_payment", "paid", "shipped", "delivered", "expired", "cancelled", "refunded")
CHECKOUT_STATUSES = ("pending_payment", "paid", "expired")
PAYMENT_STATUSES = ("pending", "unknown", "approved", "declined", "failed", "voided")
DOCUMENT_KINDS = ("invoice", "credit_note")
LEDGER_KINDS = ("sale", "commission", "sale_reversal", "commission_reversal")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class CartLineRow(DefaultBase):
    """A line of a customer's cart; the cart is its lines (no row of its own)."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor > 0", name="price_positive"),
    )

    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    added_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class CheckoutRow(UUIDv7Base):
    __tablename__ = "checkouts"
    __table_args__ = (
        CheckConstraint(_one_of("status", CHECKOUT_STATUSES), name="status_known"),
        CheckConstraint("total_minor >= 0", name="total_not_negative"),
        Index("ix_checkouts_buyer_id_id", "buyer_id", "id"),
        Index("ix_checkouts_unpaid_expires_at", "expires_at", postgresql_where=text("status = 'pending_payment'")),
    )

    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class OrderRow(UUIDv7Base):
    """One store's part of a checkout. Rates and amounts are snapshots taken at checkout."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(_one_of("status", ORDER_STATUSES), name="status_known"),
        CheckConstraint("total_minor = subtotal_minor + tax_minor", name="total_is_subtotal_plus_tax"),
        CheckConstraint("commission_minor >= 0 AND commission_minor <= subtotal_minor", name="commission_in_range"),
        CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name="tax_rate_in_range"),
        CheckConstraint("commission_rate_bp BETWEEN 0 AND 10000", name="commission_rate_in_range"),
        UniqueConstraint("checkout_id", "merchant_id", name="uq_orders_checkout_merchant"),
        Index("ix_orders_buyer_id_id", "buyer_id", "id"),
        Index("ix_orders_merchant_id_id", "merchant_id", "id"),
        Index("ix_orders_status_id", "status", "id"),
    )

    checkout_id: Mapped[UUID] = mapped_column(ForeignKey("checkouts.id", ondelete="RESTRICT"))
    buyer_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    commission_minor: Mapped[int] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    commission_rate_bp: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(String(80))
    tracking_code: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class OrderLineRow(DefaultBase):
    """A sold sellable unit: today a product (id + SKU). A nullable variant id will join it; old lines keep none."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor > 0", name="price_positive"),
    )

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)


class OrderEventRow(UUIDv7Base):
    __tablename__ = "order_events"
    __table_args__ = (
        CheckConstraint(_one_of("status", ORDER_STATUSES), name="status_known"),
        Index("ix_order_events_order_id_id", "order_id", "id"),
    )

    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    note: Mapped[str | None] = mapped_column(String(500))


class PaymentAttemptRow(UUIDv7Base):
    """Its id is the idempotency key sent to the gateway."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        CheckConstraint(_one_of("status", PAYMENT_STATUSES), name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        # At most one open attempt, and at most one approved attempt, per checkout.
        Index(
            "uq_payment_attempts_one_open",
            "checkout_id",
            unique=True,
            postgresql_where=text("status IN ('pending', 'unknown')"),
        ),
        Index(
            "uq_payment_attempts_one_approved",
            "checkout_id",
            unique=True,
            postgresql_where=text("status = 'approved'"),
        ),
        Index("ix_payment_attempts_checkout_id", "checkout_id"),
    )

    checkout_id: Mapped[UUID] = mapped_column(ForeignKey("checkouts.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    charge_reference: Mapped[str | None] = mapped_column(String(100))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class IdempotencyKeyRow(DefaultBase):
    """A client's key and what we answered to it; the unique (owner, key) makes duplicates wait."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_keep_until", "keep_until"),)

    owner_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    keep_until: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class DocumentSequenceRow(DefaultBase):
    """A store's last invoice (or credit note) number; the row is locked while a number is being used."""

    __tablename__ = "document_sequences"
    __table_args__ = (
        CheckConstraint(_one_of("kind", DOCUMENT_KINDS), name="kind_known"),
        CheckConstraint("last_number > 0", name="last_number_positive"),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class InvoiceRow(UUIDv7Base):
    """Issued documents: append-only (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(_one_of("kind", DOCUMENT_KINDS), name="kind_known"),
        CheckConstraint("(kind = 'credit_note') = (credits_id IS NOT NULL)", name="credit_note_credits_an_invoice"),
        UniqueConstraint("merchant_id", "number", name="uq_invoices_merchant_number"),
        Index("uq_invoices_one_per_order", "order_id", unique=True, postgresql_where=text("kind = 'invoice'")),
        Index("uq_invoices_one_credit_note", "credits_id", unique=True),
        Index("ix_invoices_order_id", "order_id"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(40))
    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"))
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    credits_id: Mapped[UUID | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    issuer_name: Mapped[str] = mapped_column(String(120))
    issuer_tax_id: Mapped[str] = mapped_column(String(20))
    buyer_name: Mapped[str] = mapped_column(String(201))
    buyer_tax_id: Mapped[str] = mapped_column(String(20))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class MerchantLedgerEntryRow(UUIDv7Base):
    """Append-only (trigger); one entry of each kind per order, so nothing is ever credited twice."""

    __tablename__ = "merchant_ledger_entries"
    __table_args__ = (
        CheckConstraint(_one_of("kind", LEDGER_KINDS), name="kind_known"),
        UniqueConstraint("order_id", "kind", name="uq_merchant_ledger_entries_order_kind"),
        Index("ix_merchant_ledger_entries_merchant_id_id", "merchant_id", "id"),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"))
    order_id: Mapped[UUID] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class StoreCommissionRateRow(DefaultBase):
    """A commission agreed with one store; stores without a row pay the platform default."""

    __tablename__ = "store_commission_rates"
    __table_args__ = (CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_in_range"),)

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class FakeGatewayOperationRow(DefaultBase):
    """The built-in fake gateway's own book (what a real processor would keep on its side)."""

    __tablename__ = "fake_gateway_operations"
    __table_args__ = (CheckConstraint("kind IN ('charge', 'refund')", name="kind_known"),)

    idempotency_key: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    token: Mapped[str | None] = mapped_column(String(200))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    outcome: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(64))
    charge_reference: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


APPEND_ONLY_TABLES = ("invoices", "merchant_ledger_entries")
