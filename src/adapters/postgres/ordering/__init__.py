"""PostgreSQL adapters of buying: tables, repositories, the unit of work, the fake payment gateway."""

from adapters.postgres.ordering.carts import SqlaCartRepository
from adapters.postgres.ordering.checkouts import SqlaCheckoutRepository, SqlaIdempotencyKeys
from adapters.postgres.ordering.invoices import SqlaInvoiceRepository
from adapters.postgres.ordering.ledger import SqlaMerchantLedger
from adapters.postgres.ordering.orders import SqlaOrderRepository
from adapters.postgres.ordering.payments import SqlaPaymentAttemptRepository
from adapters.postgres.ordering.sellables import SqlaSellableUnits, SqlaStoreTerms

__all__ = [
    "SqlaCartRepository",
    "SqlaCheckoutRepository",
    "SqlaIdempotencyKeys",
    "SqlaInvoiceRepository",
    "SqlaMerchantLedger",
    "SqlaOrderRepository",
    "SqlaPaymentAttemptRepository",
    "SqlaSellableUnits",
    "SqlaStoreTerms",
]
