"""The transaction boundary of a use case."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from application.ports.audit import AuditLog
from application.ports.catalog import (
    CatalogImportRepository,
    CatalogReader,
    CategoryRepository,
    MembershipRepository,
    MerchantRepository,
    ProductRepository,
    StockLedger,
)
from application.ports.identity import (
    ActivationCodeRepository,
    Outbox,
    RefreshTokenRepository,
    RevokedAccessTokenRepository,
    UserRepository,
)


class StorageUnavailable(Exception):
    """The database could not be reached, or dropped the connection in the middle of a call.

    Raised by the adapters instead of their driver's errors, so a caller can tell
    "try again in a moment" from a bug. The transaction was rolled back, or its
    commit was never confirmed: retrying is safe for idempotent calls (those
    with an ``Idempotency-Key``, or naturally idempotent ones such as paying a
    checkout or setting a cart line).
    """

    def __init__(self, message: str = "the database is unavailable; retry in a moment") -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = 2


class CatalogReads(Protocol):
    """Reads of the public catalog only: nothing to commit, so no transaction to begin or roll back.

    Entered with ``async with`` like a unit of work (a :class:`UnitOfWork` is one too); a
    database that goes away mid-call is :class:`StorageUnavailable`.
    """

    @property
    def catalog(self) -> CatalogReader: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class UnitOfWork(Protocol):
    """One transaction per use-case call.

    Entered with ``async with``; nothing is written unless the use case calls
    :meth:`commit`. Leaving the block without committing, or with an error,
    rolls everything back. Repositories hang off the unit of work so that all
    the reads and writes of one call share its transaction, including the
    notifications queued in the outbox and the audit events of staff actions.
    """

    users: UserRepository
    activation_codes: ActivationCodeRepository
    refresh_tokens: RefreshTokenRepository
    revoked_access_tokens: RevokedAccessTokenRepository
    outbox: Outbox
    merchants: MerchantRepository
    memberships: MembershipRepository
    categories: CategoryRepository
    products: ProductRepository
    stock_ledger: StockLedger
    catalog: CatalogReader
    catalog_imports: CatalogImportRepository
    audit: AuditLog

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
