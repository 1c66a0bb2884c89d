"""PostgreSQL repositories of the catalog, and its public read side."""

from adapters.postgres.catalog.categories import SqlaCategoryRepository
from adapters.postgres.catalog.imports import SqlaCatalogImportRepository
from adapters.postgres.catalog.merchants import SqlaMembershipRepository, SqlaMerchantRepository
from adapters.postgres.catalog.products import SqlaProductRepository
from adapters.postgres.catalog.reader import SqlaCatalogReader
from adapters.postgres.catalog.relevance import search_terms
from adapters.postgres.catalog.stock import SqlaStockLedger

__all__ = [
    "SqlaCatalogImportRepository",
    "SqlaCatalogReader",
    "SqlaCategoryRepository",
    "SqlaMembershipRepository",
    "SqlaMerchantRepository",
    "SqlaProductRepository",
    "SqlaStockLedger",
    "search_terms",
]
