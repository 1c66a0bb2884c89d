"""PostgreSQL adapters (SQLAlchemy 2 async + asyncpg, advanced-alchemy bases)."""

from adapters.postgres.database import (
    count_statements,
    create_catalog_read_engine,
    create_database_engine,
    create_read_session_factory,
    create_session_factory,
)
from adapters.postgres.readiness import PostgresProbe
from adapters.postgres.unit_of_work import SqlaCatalogReads, SqlaUnitOfWork

__all__ = [
    "PostgresProbe",
    "SqlaCatalogReads",
    "SqlaUnitOfWork",
    "count_statements",
    "create_catalog_read_engine",
    "create_database_engine",
    "create_read_session_factory",
    "create_session_factory",
]
