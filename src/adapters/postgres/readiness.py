"""Readiness probe for PostgreSQL."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports import DependencyProbe

logger = logging.getLogger(__name__)


class PostgresProbe(DependencyProbe):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @property
    def name(self) -> str:
        return "postgresql"

    async def is_reachable(self) -> bool:
        try:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as error:
            logger.warning("postgresql is not reachable: %s", error.__class__.__name__)
            return False
        return True
