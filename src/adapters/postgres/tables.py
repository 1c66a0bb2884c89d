"""ORM tables. Mapped to and from domain objects by the repositories; never leave ``adapters``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7AuditBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from adapters.postgres.checks import one_of

metadata: MetaData = UUIDv7AuditBase.metadata

ROLES = ("admin", "support", "merchant_manager", "merchant_staff", "customer")


class UserRow(UUIDv7AuditBase):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(role) for role in ROLES)})", name="role_known"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint("credentials_version > 0", name="credentials_version_positive"),
        Index("ix_users_role_id", "role", "id"),
    )

    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    national_id: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(Boolean)
    credentials_version: Mapped[int] = mapped_column(Integer)


class ActivationCodeRow(DefaultBase):
    __tablename__ = "activation_codes"
    __table_args__ = (CheckConstraint("attempts_left >= 0", name="attempts_left_not_negative"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code_digest: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    attempts_left: Mapped[int] = mapped_column(Integer)


class RefreshTokenRow(UUIDv7Base):
    __tablename__ = "refresh_tokens"

    family_id: Mapped[UUID] = mapped_column(index=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    spent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class RevokedAccessTokenRow(DefaultBase):
    __tablename__ = "revoked_access_tokens"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


class OutboxRow(UUIDv7Base):
    __tablename__ = "notifications_outbox"
    __table_args__ = (
        Index("ix_notifications_outbox_recipient_id", "recipient", "id"),
        Index("ix_notifications_outbox_kind_id", "kind", "id"),
        Index("ix_notifications_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
        Index("ix_notifications_outbox_sent_at", "sent_at", postgresql_where=text("sent_at IS NOT NULL")),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    recipient: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Delivery by the relay (ADR 0011): attempts made, when the next may start (NULL: now), why the last failed.
    attempts: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))


MERCHANT_STATUSES = ("pending", "approved", "suspended")
PRODUCT_STATUSES = ("draft", "active", "archived")
LISTED = text("listed")

# Spanish and English, accents folded by `unaccent` (configurations made by migration 0003).
SEARCH_DOCUMENT = (
    "setweight(to_tsvector('commerce_es'::regconfig, name), 'A') || "
    "setweight(to_tsvector('commerce_en'::regconfig, name), 'A') || "
    "setweight(to_tsvector('commerce_es'::regconfig, description), 'B') || "
    "setweight(to_tsvector('commerce_en'::regconfig, description), 'B')"
)


class MerchantRow(UUIDv7AuditBase):
    __tablename__ = "merchants"
    __table_args__ = (
        CheckConstraint(one_of("status", MERCHANT_STATUSES), name="status_known"),
        Index("ix_merchants_status_id", "status", "id"),
    )

    name: Mapped[str] = mapped_column(String(120))
    legal_id: Mapped[str] = mapped_column(String(20), unique=True)
    description: Mapped[str] = mapped_column(Text)
    contact_email: Mapped[str] = mapped_column(String(254))
    applicant_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    suspension_reason: Mapped[str | None] = mapped_column(String(500))


class MembershipRow(DefaultBase):
    """A user works for at most one store: the user id is the primary key."""

    __tablename__ = "store_memberships"
    __table_args__ = (CheckConstraint("role IN ('manager', 'staff')", name="role_known"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class CategoryRow(UUIDv7AuditBase):
    __tablename__ = "categories"
    __table_args__ = (Index("ix_categories_path_prefix", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    parent_id: Mapped[UUID | None] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    path: Mapped[str] = mapped_column(String(400), unique=True)


class ProductRow(UUIDv7AuditBase):
    """``listed`` = active, not suspended, store approved: what customers may see, kept by the use cases."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("merchant_id", "sku", name="uq_products_merchant_sku"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint(one_of("status", PRODUCT_STATUSES), name="status_known"),
        Index("ix_products_merchant_status_id", "merchant_id", "status", "id"),
        Index("ix_products_listed_newest", "id", postgresql_where=LISTED),
        Index("ix_products_listed_price", "price_minor", "id", postgresql_where=LISTED),
        Index("ix_products_listed_category_newest", "category_id", "id", postgresql_where=LISTED),
        Index("ix_products_listed_category_price", "category_id", "price_minor", "id", postgresql_where=LISTED),
        Index("ix_products_listed_merchant_newest", "merchant_id", "id", postgresql_where=LISTED),
        Index("ix_products_listed_merchant_price", "merchant_id", "price_minor", "id", postgresql_where=LISTED),
        Index(
            "ix_products_listed_search",
            "search_vector",
            postgresql_using="gin",
            postgresql_where=LISTED,
            postgresql_with={"fastupdate": "off"},  # no pending list for searches to scan (migration 0008)
        ),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="RESTRICT"))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[UUID] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    images: Mapped[list[str]] = mapped_column(ARRAY(String(2000)))
    status: Mapped[str] = mapped_column(String(16))
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    listed: Mapped[bool] = mapped_column(Boolean)
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(SEARCH_DOCUMENT, persisted=True))


class StockMovementRow(UUIDv7Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("resulting_level >= 0", name="resulting_level_not_negative"),
        Index("ix_stock_movements_product_id_id", "product_id", "id"),
    )

    product_id: Mapped[UUID] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    actor_id: Mapped[UUID | None] = mapped_column()
    resulting_level: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


IMPORT_STATUSES = ("pending", "running", "done", "failed")


class CatalogImportRow(UUIDv7AuditBase):
    """An uploaded catalog file (``content``) and its processing; workers claim the waiting ones."""

    __tablename__ = "catalog_imports"
    __table_args__ = (
        CheckConstraint(one_of("status", IMPORT_STATUSES), name="status_known"),
        Index("ix_catalog_imports_merchant_id_id", "merchant_id", "id"),
        Index("ix_catalog_imports_waiting", "id", postgresql_where=text("status IN ('pending', 'running')")),
    )

    merchant_id: Mapped[UUID] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    requested_by: Mapped[UUID] = mapped_column()
    requester_role: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    failure: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


__all__ = [
    "ActivationCodeRow",
    "CatalogImportRow",
    "CategoryRow",
    "MembershipRow",
    "MerchantRow",
    "OutboxRow",
    "ProductRow",
    "RefreshTokenRow",
    "RevokedAccessTokenRow",
    "StockMovementRow",
    "UserRow",
    "metadata",
]

# The support desk's and the audit trail's tables live in their own package, on this same metadata.
# Buying's tables live in their own package, on this same metadata (migrations and tests see them all).
import adapters.postgres.ordering.tables  # noqa: E402
import adapters.postgres.support.tables  # noqa: E402, F401
