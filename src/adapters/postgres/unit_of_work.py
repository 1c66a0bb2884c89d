"""The unit of work over one SQLAlchemy session."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import UnitOfWork


class SqlaUnitOfWork(UnitOfWork):
    """One session and one transaction per ``async with`` block; rolls back unless committed."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self._on_begin(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()  # a no-op after commit; undoes anything left otherwise
        finally:
            await session.close()
            self._session = None

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    def _on_begin(self, session: AsyncSession) -> None:
        """Hook for subclasses that attach repositories to the new session."""
