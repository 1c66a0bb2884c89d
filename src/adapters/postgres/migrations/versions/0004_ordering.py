"""Buying: carts, checkouts, orders per store, payment attempts, idempotency keys, invoices, the merchant ledger.

Invoices and ledger entries are append-only: a trigger refuses UPDATE and DELETE on them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 20:13:09.877107
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"

APPEND_ONLY_TABLES = ("invoices", "merchant_ledger_entries")


def upgrade() -> None:
    op.create_table(
        "fake_gateway_operations",
        sa.Column("idempotency_key", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("charge_reference", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('charge', 'refund')", name=op.f("ck_fake_gateway_operations_kind_known")),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_fake_gateway_operations")),
    )
    op.create_table(
        "checkouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("shipping_address", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending_payment', 'paid', 'expired')", name=op.f("ck_checkouts_status_known")),
        sa.CheckConstraint("total_minor >= 0", name=op.f("ck_checkouts_total_not_negative")),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_checkouts_buyer_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkouts")),
    )
    op.create_index("ix_checkouts_buyer_id_id", "checkouts", ["buyer_id", "id"], unique=False)
    op.create_index(
        "ix_checkouts_unpaid_expires_at",
        "checkouts",
        ["expires_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending_payment'"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keep_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_idempotency_keys_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("owner_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index("ix_idempotency_keys_keep_until", "idempotency_keys", ["keep_until"], unique=False)
    op.create_table(
        "document_sequences",
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f("ck_document_sequences_kind_known")),
        sa.CheckConstraint("last_number > 0", name=op.f("ck_document_sequences_last_number_positive")),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_document_sequences_merchant_id_merchants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("merchant_id", "kind", name=op.f("pk_document_sequences")),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("checkout_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("commission_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("commission_rate_bp", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=80), nullable=True),
        sa.Column("tracking_code", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'expired', 'cancelled', 'refunded')",
            name=op.f("ck_orders_status_known"),
        ),
        sa.CheckConstraint(
            "commission_minor >= 0 AND commission_minor <= subtotal_minor", name=op.f("ck_orders_commission_in_range")
        ),
        sa.CheckConstraint("commission_rate_bp BETWEEN 0 AND 10000", name=op.f("ck_orders_commission_rate_in_range")),
        sa.CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name=op.f("ck_orders_tax_rate_in_range")),
        sa.CheckConstraint(
            "total_minor = subtotal_minor + tax_minor", name=op.f("ck_orders_total_is_subtotal_plus_tax")
        ),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_orders_buyer_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["checkout_id"], ["checkouts.id"], name=op.f("fk_orders_checkout_id_checkouts"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_orders_merchant_id_merchants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("checkout_id", "merchant_id", name="uq_orders_checkout_merchant"),
    )
    op.create_index("ix_orders_buyer_id_id", "orders", ["buyer_id", "id"], unique=False)
    op.create_index("ix_orders_merchant_id_id", "orders", ["merchant_id", "id"], unique=False)
    op.create_index("ix_orders_status_id", "orders", ["status", "id"], unique=False)
    op.create_table(
        "payment_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("checkout_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("charge_reference", sa.String(length=100), nullable=True),
        sa.Column("failure_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'unknown', 'approved', 'declined', 'failed', 'voided')",
            name=op.f("ck_payment_attempts_status_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_payment_attempts_amount_positive")),
        sa.ForeignKeyConstraint(
            ["checkout_id"],
            ["checkouts.id"],
            name=op.f("fk_payment_attempts_checkout_id_checkouts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_attempts")),
    )
    op.create_index("ix_payment_attempts_checkout_id", "payment_attempts", ["checkout_id"], unique=False)
    op.create_index(
        "uq_payment_attempts_one_approved",
        "payment_attempts",
        ["checkout_id"],
        unique=True,
        postgresql_where=sa.text("status = 'approved'"),
    )
    op.create_index(
        "uq_payment_attempts_one_open",
        "payment_attempts",
        ["checkout_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('pending', 'unknown')"),
    )
    op.create_table(
        "store_commission_rates",
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rate_bp BETWEEN 0 AND 10000", name=op.f("ck_store_commission_rates_rate_in_range")),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_store_commission_rates_merchant_id_merchants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_store_commission_rates")),
    )
    op.create_table(
        "cart_lines",
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cart_lines_quantity_positive")),
        sa.CheckConstraint("unit_price_minor > 0", name=op.f("ck_cart_lines_price_positive")),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_cart_lines_buyer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_cart_lines_product_id_products"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("buyer_id", "product_id", name=op.f("pk_cart_lines")),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("credits_id", sa.Uuid(), nullable=True),
        sa.Column("issuer_name", sa.String(length=120), nullable=False),
        sa.Column("issuer_tax_id", sa.String(length=20), nullable=False),
        sa.Column("buyer_name", sa.String(length=201), nullable=False),
        sa.Column("buyer_tax_id", sa.String(length=20), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'credit_note') = (credits_id IS NOT NULL)", name=op.f("ck_invoices_credit_note_credits_an_invoice")
        ),
        sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f("ck_invoices_kind_known")),
        sa.ForeignKeyConstraint(
            ["credits_id"], ["invoices.id"], name=op.f("fk_invoices_credits_id_invoices"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_invoices_merchant_id_merchants"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_invoices_order_id_orders"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("merchant_id", "number", name="uq_invoices_merchant_number"),
    )
    op.create_index("ix_invoices_order_id", "invoices", ["order_id"], unique=False)
    op.create_index("uq_invoices_one_credit_note", "invoices", ["credits_id"], unique=True)
    op.create_index(
        "uq_invoices_one_per_order", "invoices", ["order_id"], unique=True, postgresql_where=sa.text("kind = 'invoice'")
    )
    op.create_table(
        "merchant_ledger_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('sale', 'commission', 'sale_reversal', 'commission_reversal')",
            name=op.f("ck_merchant_ledger_entries_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_merchant_ledger_entries_merchant_id_merchants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_merchant_ledger_entries_order_id_orders"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchant_ledger_entries")),
        sa.UniqueConstraint("order_id", "kind", name="uq_merchant_ledger_entries_order_kind"),
    )
    op.create_index(
        "ix_merchant_ledger_entries_merchant_id_id", "merchant_ledger_entries", ["merchant_id", "id"], unique=False
    )
    op.create_table(
        "order_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'expired', 'cancelled', 'refunded')",
            name=op.f("ck_order_events_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_events_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_events")),
    )
    op.create_index("ix_order_events_order_id_id", "order_events", ["order_id", "id"], unique=False)
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_lines_quantity_positive")),
        sa.CheckConstraint("unit_price_minor > 0", name=op.f("ck_order_lines_price_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_lines_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_order_lines_product_id_products"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_order_lines")),
    )
    op.create_index(op.f("ix_order_lines_product_id"), "order_lines", ["product_id"], unique=False)
    op.execute(
        """
        CREATE FUNCTION refuse_change_of_issued_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """
    )
    for table in APPEND_ONLY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued_rows()"
        )


def downgrade() -> None:
    for table in APPEND_ONLY_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.execute("DROP FUNCTION IF EXISTS refuse_change_of_issued_rows()")
    op.drop_index(op.f("ix_order_lines_product_id"), table_name="order_lines")
    op.drop_table("order_lines")
    op.drop_index("ix_order_events_order_id_id", table_name="order_events")
    op.drop_table("order_events")
    op.drop_index("ix_merchant_ledger_entries_merchant_id_id", table_name="merchant_ledger_entries")
    op.drop_table("merchant_ledger_entries")
    op.drop_index("uq_invoices_one_per_order", table_name="invoices", postgresql_where=sa.text("kind = 'invoice'"))
    op.drop_index("uq_invoices_one_credit_note", table_name="invoices")
    op.drop_index("ix_invoices_order_id", table_name="invoices")
    op.drop_table("invoices")
    op.drop_table("cart_lines")
    op.drop_table("store_commission_rates")
    op.drop_index(
        "uq_payment_attempts_one_open",
        table_name="payment_attempts",
        postgresql_where=sa.text("status IN ('pending', 'unknown')"),
    )
    op.drop_index(
        "uq_payment_attempts_one_approved",
        table_name="payment_attempts",
        postgresql_where=sa.text("status = 'approved'"),
    )
    op.drop_index("ix_payment_attempts_checkout_id", table_name="payment_attempts")
    op.drop_table("payment_attempts")
    op.drop_index("ix_orders_status_id", table_name="orders")
    op.drop_index("ix_orders_merchant_id_id", table_name="orders")
    op.drop_index("ix_orders_buyer_id_id", table_name="orders")
    op.drop_table("orders")
    op.drop_table("document_sequences")
    op.drop_index("ix_idempotency_keys_keep_until", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index(
        "ix_checkouts_unpaid_expires_at", table_name="checkouts", postgresql_where=sa.text("status = 'pending_payment'")
    )
    op.drop_index("ix_checkouts_buyer_id_id", table_name="checkouts")
    op.drop_table("checkouts")
    op.drop_table("fake_gateway_operations")
