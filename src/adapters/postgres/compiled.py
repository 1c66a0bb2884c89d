"""Statements compiled once per process, then sent to the driver with positional parameters only."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Connect = Callable[[], AbstractAsyncContextManager[AsyncConnection]]
"""Where the reader gets a connection for one call: a pool checkout, or a session's own connection."""

# The SQL of each statement shape, compiled once per process: (SQL, parameter order, constant values).
COMPILED: dict[Hashable, tuple[str, tuple[str, ...], dict[str, Any]]] = {}
MAX_COMPILED = 4_096  # shapes x category sets; past it, start over rather than grow without bound


async def run_compiled(
    connection: AsyncConnection, shape: Hashable, build: Callable[[], ClauseElement], values: dict[str, Any]
) -> Sequence[Any]:
    """Run the statement of ``shape``: built and compiled on its first use, then only its parameters change.

    ``build`` makes the statement with named parameters (``values``' keys); every other parameter
    of a shape is a constant of that shape (checked by tests/integration/test_catalog_reader_sql.py).
    """
    compiled = COMPILED.get(shape)
    if compiled is None:
        # A SELECT's compiler; with asyncpg its parameters are positional ($1, $2...), in positiontup's order.
        options = {"render_postcompile": True}
        statement = cast("SQLCompiler", build().compile(dialect=connection.dialect, compile_kwargs=options))
        compiled = (statement.string, tuple(statement.positiontup or ()), dict(statement.construct_params()))
        if len(COMPILED) >= MAX_COMPILED:
            COMPILED.clear()
        COMPILED[shape] = compiled
    sql, names, constants = compiled
    parameters = tuple(values[name] if name in values else constants[name] for name in names)
    return (await connection.exec_driver_sql(sql, parameters)).all()
