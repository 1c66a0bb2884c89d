"""The buying unit of work: the shared one, plus buying's repositories on the same session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.postgres.ordering import (
    SqlaCartRepository,
    SqlaCheckoutRepository,
    SqlaIdempotencyKeys,
    SqlaInvoiceRepository,
    SqlaMerchantLedger,
    SqlaOrderRepository,
    SqlaPaymentAttemptRepository,
    SqlaSellableUnits,
    SqlaStoreTerms,
)
from adapters.postgres.ordering.outbox import SqlaBuyingOutbox
from adapters.postgres.ordering.shared import (
    SqlaBuyingMerchants,
    SqlaBuyingProducts,
    SqlaBuyingUsers,
)
from adapters.postgres.unit_of_work import SqlaUnitOfWork
from application.ports.ordering import OrderingUnitOfWork
from domain.money import Currency


class SqlaOrderingUnitOfWork(SqlaUnitOfWork, OrderingUnitOfWork):
    sellables: SqlaSellableUnits
    carts: SqlaCartRepository
    checkouts: SqlaCheckoutRepository
    orders: SqlaOrderRepository
    payments: SqlaPaymentAttemptRepository
    idempotency_keys: SqlaIdempotencyKeys
    invoices: SqlaInvoiceRepository
    merchant_ledger: SqlaMerchantLedger
    store_terms: SqlaStoreTerms

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], now: Callable[[], datetime], currency: Currency
    ) -> None:
        super().__init__(session_factory, now)
        self._currency = currency

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        session = self.session
        self.sellables = SqlaSellableUnits(session)
        self.carts = SqlaCartRepository(session)
        self.checkouts = SqlaCheckoutRepository(session)
        self.orders = SqlaOrderRepository(session)
        self.payments = SqlaPaymentAttemptRepository(session)
        self.idempotency_keys = SqlaIdempotencyKeys(session)
        self.invoices = SqlaInvoiceRepository(session)
        self.merchant_ledger = SqlaMerchantLedger(session, self._currency)
        self.store_terms = SqlaStoreTerms(session)
        self.outbox = SqlaBuyingOutbox(session, self._now)
        self.users = SqlaBuyingUsers(session)
        self.merchants = SqlaBuyingMerchants(session)
        self.products = SqlaBuyingProducts(session)
        return self
