"""Outbox delivery: attempts, the next attempt's time and the last error of each message.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"


def upgrade() -> None:
    op.add_column("notifications_outbox", sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
    op.add_column("notifications_outbox", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("notifications_outbox", sa.Column("last_error", sa.String(length=500), nullable=True))
    op.create_check_constraint(
        op.f("ck_notifications_outbox_attempts_not_negative"), "notifications_outbox", "attempts >= 0"
    )
    # The purge deletes sent messages past retention, oldest first.
    op.create_index(
        "ix_notifications_outbox_sent_at",
        "notifications_outbox",
        ["sent_at"],
        postgresql_where=sa.text("sent_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_outbox_sent_at", table_name="notifications_outbox")
    op.drop_constraint(op.f("ck_notifications_outbox_attempts_not_negative"), "notifications_outbox", type_="check")
    op.drop_column("notifications_outbox", "last_error")
    op.drop_column("notifications_outbox", "next_attempt_at")
    op.drop_column("notifications_outbox", "attempts")
