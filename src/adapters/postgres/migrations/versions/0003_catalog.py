"""Catalog: stores, memberships, categories, products (full-text search), the stock ledger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:36:48.222018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"


SEARCH_CONFIGURATIONS = {"commerce_es": "spanish", "commerce_en": "english"}


def upgrade() -> None:
    # Text search that ignores accents: each language's stemmer after `unaccent` (extension from 0001).
    for name, language in SEARCH_CONFIGURATIONS.items():
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {language}_stem"
        )
    op.create_table(
        "categories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["categories.id"], name=op.f("fk_categories_parent_id_categories"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("path", name=op.f("uq_categories_path")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    op.create_index(op.f("ix_categories_parent_id"), "categories", ["parent_id"], unique=False)
    op.create_index(
        "ix_categories_path_prefix", "categories", ["path"], unique=False, postgresql_ops={"path": "text_pattern_ops"}
    )
    op.create_table(
        "merchants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("legal_id", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("applicant_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("suspension_reason", sa.String(length=500), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'approved', 'suspended')", name=op.f("ck_merchants_status_known")),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["users.id"], name=op.f("fk_merchants_applicant_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchants")),
        sa.UniqueConstraint("applicant_id", name=op.f("uq_merchants_applicant_id")),
        sa.UniqueConstraint("legal_id", name=op.f("uq_merchants_legal_id")),
    )
    op.create_index("ix_merchants_status_id", "merchants", ["status", "id"], unique=False)
    op.create_table(
        "products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("images", postgresql.ARRAY(sa.String(length=2000)), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("suspension_reason", sa.String(length=500), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('commerce_es'::regconfig, name), 'A') || setweight(to_tsvector('commerce_en'::regconfig, name), 'A') || setweight(to_tsvector('commerce_es'::regconfig, description), 'B') || setweight(to_tsvector('commerce_en'::regconfig, description), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'active', 'archived')", name=op.f("ck_products_status_known")),
        sa.CheckConstraint("price_minor > 0", name=op.f("ck_products_price_positive")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_products_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_products_category_id_categories"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_products_merchant_id_merchants"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("merchant_id", "sku", name="uq_products_merchant_sku"),
    )
    op.create_index(
        "ix_products_listed_category_newest",
        "products",
        ["category_id", "id"],
        unique=False,
        postgresql_where=sa.text("listed"),
    )
    op.create_index(
        "ix_products_listed_category_price",
        "products",
        ["category_id", "price_minor", "id"],
        unique=False,
        postgresql_where=sa.text("listed"),
    )
    op.create_index(
        "ix_products_listed_merchant_newest",
        "products",
        ["merchant_id", "id"],
        unique=False,
        postgresql_where=sa.text("listed"),
    )
    op.create_index(
        "ix_products_listed_merchant_price",
        "products",
        ["merchant_id", "price_minor", "id"],
        unique=False,
        postgresql_where=sa.text("listed"),
    )
    op.create_index("ix_products_listed_newest", "products", ["id"], unique=False, postgresql_where=sa.text("listed"))
    op.create_index(
        "ix_products_listed_price", "products", ["price_minor", "id"], unique=False, postgresql_where=sa.text("listed")
    )
    op.create_index(
        "ix_products_listed_search",
        "products",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
        postgresql_where=sa.text("listed"),
    )
    op.create_index("ix_products_merchant_status_id", "products", ["merchant_id", "status", "id"], unique=False)
    op.create_table(
        "store_memberships",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("merchant_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('manager', 'staff')", name=op.f("ck_store_memberships_role_known")),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_store_memberships_merchant_id_merchants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_store_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_store_memberships")),
    )
    op.create_index(op.f("ix_store_memberships_merchant_id"), "store_memberships", ["merchant_id"], unique=False)
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("resulting_level", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint("resulting_level >= 0", name=op.f("ck_stock_movements_resulting_level_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_movements_product_id_products"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index("ix_stock_movements_product_id_id", "stock_movements", ["product_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_stock_movements_product_id_id", table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index(op.f("ix_store_memberships_merchant_id"), table_name="store_memberships")
    op.drop_table("store_memberships")
    op.drop_index("ix_products_merchant_status_id", table_name="products")
    op.drop_index(
        "ix_products_listed_search", table_name="products", postgresql_using="gin", postgresql_where=sa.text("listed")
    )
    op.drop_index("ix_products_listed_price", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_index("ix_products_listed_newest", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_index("ix_products_listed_merchant_price", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_index("ix_products_listed_merchant_newest", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_index("ix_products_listed_category_price", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_index("ix_products_listed_category_newest", table_name="products", postgresql_where=sa.text("listed"))
    op.drop_table("products")
    op.drop_index("ix_merchants_status_id", table_name="merchants")
    op.drop_table("merchants")
    op.drop_index("ix_categories_path_prefix", table_name="categories", postgresql_ops={"path": "text_pattern_ops"})
    op.drop_index(op.f("ix_categories_parent_id"), table_name="categories")
    op.drop_table("categories")
    for name in SEARCH_CONFIGURATIONS:
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
