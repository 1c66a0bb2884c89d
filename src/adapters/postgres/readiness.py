"""Readiness probe for PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.probe import RoundTripProbe


class PostgresProbe(RoundTripProbe):
    def __init__(self, engine: AsyncEngine) -> None:
        async def select_one() -> None:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        super().__init__("postgresql", select_one, failures=(SQLAlchemyError, OSError))
