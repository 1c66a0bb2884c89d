"""The unit of work over one SQLAlchemy session, with the repositories that share it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.postgres.audit import SqlaAuditLog
from adapters.postgres.catalog import (
    SqlaCatalogImportRepository,
    SqlaCatalogReader,
    SqlaCategoryRepository,
    SqlaMembershipRepository,
    SqlaMerchantRepository,
    SqlaProductRepository,
    SqlaStockLedger,
)
from adapters.postgres.compiled import SessionStatements, pooled_statements
from adapters.postgres.errors import is_connection_failure
from adapters.postgres.identity import (
    SqlaActivationCodeRepository,
    SqlaOutbox,
    SqlaRefreshTokenRepository,
    SqlaRevokedAccessTokenRepository,
    SqlaUserRepository,
)
from application.ports import CatalogReads, NotificationSender, StorageUnavailable, UnitOfWork


class SqlaUnitOfWork(UnitOfWork):
    """One session and one transaction per ``async with`` block; rolls back unless committed."""

    users: SqlaUserRepository
    activation_codes: SqlaActivationCodeRepository
    refresh_tokens: SqlaRefreshTokenRepository
    revoked_access_tokens: SqlaRevokedAccessTokenRepository
    outbox: SqlaOutbox
    merchants: SqlaMerchantRepository
    memberships: SqlaMembershipRepository
    categories: SqlaCategoryRepository
    products: SqlaProductRepository
    stock_ledger: SqlaStockLedger
    catalog: SqlaCatalogReader
    catalog_imports: SqlaCatalogImportRepository
    audit: SqlaAuditLog

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        now: Callable[[], datetime],
        sender: NotificationSender | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._now = now
        # Told of each outbox message once its transaction commits (development: the console).
        self._sender = sender
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.users = SqlaUserRepository(session)
        self.activation_codes = SqlaActivationCodeRepository(session)
        self.refresh_tokens = SqlaRefreshTokenRepository(session)
        self.revoked_access_tokens = SqlaRevokedAccessTokenRepository(session)
        self.outbox = SqlaOutbox(session, self._now)
        self.merchants = SqlaMerchantRepository(session)
        self.memberships = SqlaMembershipRepository(session)
        self.categories = SqlaCategoryRepository(session)
        self.products = SqlaProductRepository(session)
        self.stock_ledger = SqlaStockLedger(session)
        self.catalog = SqlaCatalogReader(lambda: _connection_of(session))
        self.catalog_imports = SqlaCatalogImportRepository(session)
        self.audit = SqlaAuditLog(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            try:
                await session.rollback()  # a no-op after commit; undoes anything left otherwise
            finally:
                await session.close()
        except Exception as error:
            if not is_connection_failure(error):
                raise
            # The connection is gone, and whatever was not committed with it; the pool discards it.
            # A call that already finished keeps its result; one that failed is translated below.
        finally:
            self._session = None
        _raise_if_unavailable(exc)

    async def commit(self) -> None:
        await self.session.commit()
        if self._sender is not None:
            written, self.outbox.written = self.outbox.written, []
            for notification in written:
                await self._sender.send(notification)

    async def rollback(self) -> None:
        await self.session.rollback()


class SqlaCatalogReads(CatalogReads):
    """The public catalog's reads on pooled connections in autocommit: no session, no transaction.

    Nothing to begin, commit or roll back, so one instance serves every call of the process; each
    reader call checks a connection out for its statements (each sees its own snapshot).
    """

    def __init__(self, engine: AsyncEngine, *, on_statement: Callable[[], None] | None = None) -> None:
        # on_statement: counts what bypasses SQLAlchemy's events (the statements-per-request metric).
        self._catalog = SqlaCatalogReader(pooled_statements(engine, on_statement))

    @property
    def catalog(self) -> SqlaCatalogReader:
        return self._catalog

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _raise_if_unavailable(exc)


@asynccontextmanager
async def _connection_of(session: AsyncSession) -> AsyncIterator[SessionStatements]:
    """The session's connection (in its transaction), left open: the unit of work closes the session."""
    yield SessionStatements(await session.connection())


def _raise_if_unavailable(exc: BaseException | None) -> None:
    if exc is not None and not isinstance(exc, StorageUnavailable) and is_connection_failure(exc):
        # The database went away mid-call (a restart, a failover): the caller may retry.
        raise StorageUnavailable from exc
