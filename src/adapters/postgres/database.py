"""Engine and session factory: created by the composition root, never at import."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_database_engine(
    url: str, *, pool_size: int = 30, max_overflow: int = 0, server_settings: Mapping[str, str] | None = None
) -> AsyncEngine:
    """``pool_size`` connections stay open, no overflow: under load an overflow connection was closed on
    return and opened again a moment later (46 connects in 6 s of the bench's list_miss, each paying
    the connect handshake and asyncpg's setup); a request past the pool waits for a connection instead.
    ``server_settings`` are added to the connections' own (see ``create_catalog_read_engine``).
    """
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # No pre-ping: a round trip on every checkout costs more than the rare stale connection,
        # which fails one request and is then discarded (pool_recycle bounds their age; ADR 0016).
        pool_pre_ping=False,
        pool_recycle=1800,
        pool_use_lifo=True,
        connect_args={
            # random_page_cost 1.1, not PostgreSQL's 4.0 (priced for spinning disks): the catalog's pages are
            # in memory or on SSDs, and at 4.0 the planner read the whole products table rather than fetch
            # 300 matches of a search word through the GIN index (7 ms against 0.7 ms; docs/performance.md).
            "server_settings": {
                "application_name": "commerce",
                "timezone": "UTC",
                "random_page_cost": "1.1",
                **(server_settings or {}),
            },
            # Prepared statements kept per connection, by SQLAlchemy (its default: 100) and by asyncpg for
            # the public reads that go straight to it (also 100). A category listing's text holds its ids
            # (ADR 0016), so categories x sorts x filters outgrow 100 and each miss costs a Parse round
            # trip and a plan.
            "prepared_statement_cache_size": 500,
            "statement_cache_size": 500,
        },
    )


def create_catalog_read_engine(url: str, *, connections: int = 8) -> AsyncEngine:
    """The public catalog's own pool: ``connections`` for listings, searches and product pages.

    - Bounded apart from the main pool, so that browsing can never take the connections checkouts need.
    - Few and busy (the one used last is handed out first): each keeps every listing shape prepared;
      spread over the main pool's 30, each connection prepared each of the hundred-odd shapes (a
      category listing's text holds its ids), a third of a read's time during the bench.
    - ``plan_cache_mode = force_generic_plan``: PostgreSQL kept planning these statements afresh at
      every execution (custom plans, 0.45 ms of planning for 0.2 ms of execution). Their texts already
      hold what the plan depends on (which filters, the category's ids); with a generic plan a price
      band of 0.1 % of 100,000 products still reads as little (0.8 ms newest first, EXPLAIN ANALYZE in
      docs/performance.md). Only these statements run on these connections.
    """
    return create_database_engine(url, pool_size=connections, server_settings={"plan_cache_mode": "force_generic_plan"})


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: mapped rows stay readable after commit, with no lazy reloads.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for use cases that only read: autocommit, so no BEGIN and no ROLLBACK round trips.

    Each statement sees its own snapshot; read-only use cases need no more.
    """
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False, autoflush=False
    )


def count_statements(engine: AsyncEngine, on_statement: Callable[[], None]) -> None:
    """Call ``on_statement`` for every statement the engine sends (the benchmark's SQL-per-request figure)."""

    def counted(*_: Any) -> None:
        on_statement()

    event.listen(engine.sync_engine, "before_cursor_execute", counted)
