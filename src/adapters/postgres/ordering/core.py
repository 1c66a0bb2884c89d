"""Statements on the unit of work's connection, for buying's hot path (ADR 0016).

Buying's repositories map rows to domain objects themselves and never rely on
the ORM's identity map, so their statements skip the session: no flush, no
unit-of-work bookkeeping, no evaluation of updates against loaded objects. The
statement still runs in the unit of work's transaction.

The statements every checkout and payment runs are declared ``Prepared``: compiled once per process
and per parameter set, then sent straight to asyncpg on the same connection, inside the same
transaction. SQLAlchemy's execution path (an execution context, a cursor and a result object per
statement) cost about 110 µs of the worker's CPU per statement against asyncpg's own 80
(docs/performance.md); a checkout runs about thirty. What it did that still matters is kept:
each column type's bind and result processing, the engine's ``before_cursor_execute`` event (the
statement counts), the translation of the driver's errors (constraint names reach
``constraint_errors``) and the invalidation of a connection the server dropped.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter

_CONNECTION = "commerce.buying.connection"

Processor = Callable[[Any], Any] | None


_REQUIRED = object()


def _constant(bind: BindParameter[Any] | None) -> Any:
    """The value a statement carries for this parameter, or ``_REQUIRED`` when the caller must give it."""
    if bind is None or bind.required:
        return _REQUIRED
    return bind.effective_value


class _Compiled:
    """One statement's SQL for one set of parameter names, with its types' processing."""

    __slots__ = ("binds", "row_processors", "row_type", "sql")

    def __init__(self, statement: ClauseElement, dialect: Dialect, names: Sequence[str]) -> None:
        # As SQLAlchemy's own execution compiles it: the parameter names given are the column keys.
        compiled = cast(
            "SQLCompiler",
            statement.compile(dialect=dialect, column_keys=sorted(names)),
        )
        if compiled.has_out_parameters or any(bind.expanding for bind in compiled.binds.values()):
            # An IN list's parameters are rendered per call; write ``= ANY(:list)`` or the values themselves.
            raise TypeError("a prepared statement takes no expanding (IN) or out parameters")
        processors = cast("Mapping[str, Processor]", compiled._bind_processors)  # as SQLAlchemy applies them
        self.sql = compiled.string
        # (name, constant, processor) in the order of the positional parameters ($1, $2, ...). A bind
        # that needs a value from the caller has no constant; a literal (``status == 'pending'``,
        # ``charge_reference=None``) is one.
        self.binds: tuple[tuple[str, Any, Processor], ...] = tuple(
            (name, _constant(compiled.binds.get(name)), processors.get(name)) for name in (compiled.positiontup or ())
        )
        columns = list(getattr(statement, "exported_columns", ()))
        self.row_type: Any = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None
        # Looked up without the driver's column type, which no type of buying's statements needs; one
        # that does (Numeric, Float) fails here, at the statement's first use, not with wrong values.
        self.row_processors: tuple[Processor, ...] = tuple(
            column.type._cached_result_processor(dialect, None) for column in columns
        )

    def values(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = []
        for name, constant, processor in self.binds:
            if name in parameters:
                value = parameters[name]
            elif constant is not _REQUIRED:
                value = constant
            else:
                raise KeyError(f"no value for the parameter {name!r}")
            # Applied to None too, as SQLAlchemy does (a JSON column's None is the JSON null).
            values.append(value if processor is None else processor(value))
        return values

    def rows(self, records: Sequence[Sequence[Any]]) -> list[Any]:
        if self.row_type is None:
            return list(records)
        make, processors = self.row_type._make, self.row_processors
        if not any(processors):
            return [make(record) for record in records]
        return [
            make(
                [
                    value if process is None else process(value)
                    for value, process in zip(record, processors, strict=True)
                ]
            )
            for record in records
        ]


class Prepared:
    """A module-level statement that buying sends straight to asyncpg (compiled on first use)."""

    __slots__ = ("_compiled", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, ...], _Compiled] = {}

    def compiled(self, dialect: Dialect, parameters: Mapping[str, Any]) -> _Compiled:
        names = tuple(parameters)
        compiled = self._compiled.get(names)
        if compiled is None:
            compiled = self._compiled[names] = _Compiled(self.statement, dialect, names)
        return compiled


class Rows:
    """What a prepared statement returned, read as SQLAlchemy's results are read."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one_or_none(self) -> Any:
        if len(self._rows) > 1:
            raise ValueError("more than one row where at most one was expected")
        return self.first()

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise ValueError(f"{len(self._rows)} rows where exactly one was expected")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None


class BuyingConnection:
    """The unit of work's connection: prepared statements go to asyncpg, the others through SQLAlchemy."""

    def __init__(self, connection: AsyncConnection, adapted: Any) -> None:
        self.connection = connection
        self._adapted = adapted  # SQLAlchemy's adaptation of the asyncpg connection (its transaction, its lock)
        self._sync = connection.sync_connection

    @property
    def closed(self) -> bool:
        return self.connection.closed or self.connection.invalidated

    async def execute(
        self,
        statement: Prepared | ClauseElement,
        parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> Any:
        if isinstance(statement, Prepared):
            if not isinstance(parameters, Mapping | None):
                raise TypeError("a prepared statement runs with one set of parameters")
            return Rows(await self._run(statement, parameters or {}))
        return await self.connection.execute(statement, parameters)  # type: ignore[call-overload]

    async def scalar(self, statement: Prepared | ClauseElement, parameters: Mapping[str, Any] | None = None) -> Any:
        if isinstance(statement, Prepared):
            return Rows(await self._run(statement, parameters or {})).scalar()
        return await self.connection.scalar(statement, parameters)  # type: ignore[call-overload]

    async def _run(self, prepared: Prepared, parameters: Mapping[str, Any]) -> list[Any]:
        compiled = prepared.compiled(self.connection.dialect, parameters)
        values = compiled.values(parameters)
        sync = self._sync
        assert sync is not None  # noqa: S101 - set for as long as the connection is open
        sync.dispatch.before_cursor_execute(sync, None, compiled.sql, values, None, False)
        adapted = self._adapted
        async with adapted._execute_mutex:
            try:
                if adapted._transaction is None:
                    await adapted._start_transaction()
                records = await adapted._connection.fetch(compiled.sql, *values)
            except Exception as error:
                raise await self._translated(error, compiled.sql, values) from error
            except BaseException:
                # Cancelled (or stopped) mid round trip: the server's state is unknown. A BEGIN cut short
                # leaves the server in a transaction that the adapter does not know of, so no later COMMIT
                # or pool reset would end it. As SQLAlchemy's own path does, the connection is invalidated
                # (closed at once, here without awaiting) and the pool opens a new one.
                sync.invalidate()
                raise
        return compiled.rows(records)

    async def _translated(self, error: Exception, sql: str, values: list[Any]) -> Exception:
        """The driver's error as SQLAlchemy raises it; a dropped connection is invalidated."""
        dialect = self.connection.dialect
        try:
            self._adapted._handle_exception(error)
        except Exception as dbapi_error:  # noqa: BLE001 - whatever it raised is what SQLAlchemy wraps
            translated = dbapi_error
        else:  # pragma: no cover - _handle_exception always raises
            translated = error
        disconnected = dialect.is_disconnect(cast("Any", translated), self._adapted, None)
        if disconnected:
            await self.connection.invalidate()
        return cast(
            "Exception",
            DBAPIError.instance(
                sql,
                values,
                translated,
                cast("type[Exception]", dialect.loaded_dbapi.Error),
                connection_invalidated=disconnected,
                dialect=dialect,
            ),
        )


async def connection_of(session: AsyncSession) -> BuyingConnection:
    """The session's connection, in its transaction (begun here if need be).

    Kept in the session's ``info`` between statements: asking the session every time went through its
    transaction bookkeeping for each statement. A commit, a rollback or a lost connection closes or
    invalidates it, and the next statement asks the session again.
    """
    buying: BuyingConnection | None = session.info.get(_CONNECTION)
    if buying is None or buying.closed:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        buying = BuyingConnection(connection, raw.dbapi_connection)
        session.info[_CONNECTION] = buying
    return buying
