"""Engine and session factory: created by the composition root, never at import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_database_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": "commerce", "timezone": "UTC"}},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: mapped rows stay readable after commit, with no lazy reloads.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def count_statements(engine: AsyncEngine, on_statement: Callable[[], None]) -> None:
    """Call ``on_statement`` for every statement the engine sends (the benchmark's SQL-per-request figure)."""

    def counted(*_: Any) -> None:
        on_statement()

    event.listen(engine.sync_engine, "before_cursor_execute", counted)
