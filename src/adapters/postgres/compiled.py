"""Statements compiled once per process, then sent to the driver with positional parameters only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from adapters.postgres.errors import is_connection_failure
from application.ports import StorageUnavailable


class Statements(Protocol):
    """Where a compiled statement runs: rows come back as sequences, read by position."""

    @property
    def dialect(self) -> Dialect: ...

    async def fetch(self, sql: str, parameters: tuple[Any, ...]) -> Sequence[Sequence[Any]]: ...


Connect = Callable[[], AbstractAsyncContextManager[Statements]]
"""Where the reader runs one call's statements: a pooled connection, or a session's own connection."""

# The SQL of each statement shape, compiled once per process: (SQL, parameter order, constant values).
COMPILED: dict[Hashable, tuple[str, tuple[str, ...], dict[str, Any]]] = {}
MAX_COMPILED = 4_096  # shapes x category sets; past it, start over rather than grow without bound


async def run_compiled(
    statements: Statements, shape: Hashable, build: Callable[[], ClauseElement], values: dict[str, Any]
) -> Sequence[Sequence[Any]]:
    """Run the statement of ``shape``: built and compiled on its first use, then only its parameters change.

    ``build`` makes the statement with named parameters (``values``' keys); every other parameter
    of a shape is a constant of that shape (checked by tests/integration/test_catalog_reader_sql.py).
    """
    compiled = COMPILED.get(shape)
    if compiled is None:
        # A SELECT's compiler; with asyncpg its parameters are positional ($1, $2...), in positiontup's order.
        options = {"render_postcompile": True}
        statement = cast("SQLCompiler", build().compile(dialect=statements.dialect, compile_kwargs=options))
        compiled = (statement.string, tuple(statement.positiontup or ()), dict(statement.construct_params()))
        if len(COMPILED) >= MAX_COMPILED:
            COMPILED.clear()
        COMPILED[shape] = compiled
    sql, names, constants = compiled
    return await statements.fetch(sql, tuple(values[name] if name in values else constants[name] for name in names))


class SessionStatements(Statements):
    """Through SQLAlchemy on a connection that is in a transaction (a unit of work's session)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @property
    def dialect(self) -> Dialect:
        return self._connection.dialect

    async def fetch(self, sql: str, parameters: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
        return (await self._connection.exec_driver_sql(sql, parameters)).all()


class DriverStatements(Statements):
    """Straight to asyncpg on a pooled connection in autocommit: no SQLAlchemy execution context and no
    result object per statement (about 150 µs of the worker's CPU each, measured in docs/performance.md).

    asyncpg prepares each statement text once per connection and keeps it (its own statement cache).
    A connection that fails is invalidated, so that the pool replaces it instead of handing it out again.
    """

    def __init__(self, connection: AsyncConnection, driver: Any, on_statement: Callable[[], None] | None) -> None:
        self._connection = connection
        self._driver = driver
        self._on_statement = on_statement

    @property
    def dialect(self) -> Dialect:
        return self._connection.dialect

    async def fetch(self, sql: str, parameters: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
        if self._on_statement is not None:
            self._on_statement()
        try:
            return cast("Sequence[Sequence[Any]]", await self._driver.fetch(sql, *parameters))
        except Exception as error:
            # A connection the server dropped says only "connection is closed" (no SQLSTATE).
            if self._driver.is_closed() or is_connection_failure(error):
                await self._connection.invalidate()
                raise StorageUnavailable from error
            raise


def pooled_statements(engine: AsyncEngine, on_statement: Callable[[], None] | None = None) -> Connect:
    """A ``Connect`` that checks an autocommit connection out of ``engine``'s pool for each call."""
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def connect() -> AsyncIterator[Statements]:
        async with autocommit.connect() as connection:
            pooled = await connection.get_raw_connection()
            yield DriverStatements(connection, pooled.driver_connection, on_statement)

    return connect
