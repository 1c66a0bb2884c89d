"""ORM tables. Mapped to and from domain objects by the repositories; never leave ``adapters``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase, UUIDv7AuditBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, MetaData, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

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
    )

    recipient: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


__all__ = [
    "ActivationCodeRow",
    "OutboxRow",
    "RefreshTokenRow",
    "RevokedAccessTokenRow",
    "UserRow",
    "metadata",
]
