"""Product search index without a pending list: every insert goes straight into the GIN index.

With ``fastupdate`` on (PostgreSQL's default), new rows wait in the index's pending list until
a vacuum (or 4 MB of them) merges it. Every search scans that list linearly, and the planner,
which sees it, prices the index so high that it reads the whole table instead: 2,847 pending
entries made a rare-word search 17 ms instead of 0.8 ms on 10,000 products (docs/performance.md).
Searches outnumber catalog writes by far, so inserts pay the merge instead.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 02:40:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    op.execute("ALTER INDEX ix_products_listed_search SET (fastupdate = off)")
    # Turning it off keeps what is already pending: merge it now.
    op.execute("SELECT gin_clean_pending_list('ix_products_listed_search'::regclass)")


def downgrade() -> None:
    op.execute("ALTER INDEX ix_products_listed_search RESET (fastupdate)")
