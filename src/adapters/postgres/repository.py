"""What our repositories share: advanced-alchemy's repository for the rows, our funnel for the errors.

Our repositories implement the application's ports and map rows to domain
objects and back; advanced-alchemy does the generic row work (get one, add,
exists, list with filters). Its repository never commits here (the unit of
work does), never refreshes (nothing we read back is generated on write), and
lets SQLAlchemy's errors through, so that ``errors.py`` translates them by
constraint name. See ADR 0006.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import fields
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar
from uuid import UUID

from advanced_alchemy.base import ModelProtocol
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from adapters.postgres.errors import constraint_errors, flush

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

RowT = TypeVar("RowT", bound=ModelProtocol)
E = TypeVar("E", bound="DataclassInstance")

Converters = Mapping[str, Callable[[Any], Any]]
"""Per column name: what turns the column's value back into the entity's type (an enum, a value object)."""


class Rows(SQLAlchemyAsyncRepository[RowT]):
    """advanced-alchemy's repository over one table, inside one of ours."""

    def __init__(self, session: AsyncSession, model: type[RowT]) -> None:
        self.model_type = model
        super().__init__(session=session, auto_commit=False, auto_refresh=False, wrap_exceptions=False)


class SqlaRepository(Generic[RowT]):
    """Base of our repositories over one table: ``row_type`` names it."""

    row_type: type[RowT]

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @cached_property
    def _rows(self) -> Rows[RowT]:
        # Built on first use: a unit of work opens every repository, a use case touches a few.
        return Rows(self._session, self.row_type)

    async def _add(self, row: RowT) -> None:
        with constraint_errors():
            await self._rows.add(row)

    async def _one(self, *conditions: ColumnElement[bool], for_update: bool = False, **columns: Any) -> RowT | None:
        return await self._rows.get_one_or_none(*conditions, with_for_update=for_update, **columns)

    async def _loaded(self, key: object) -> RowT:
        """The row of an entity read earlier in this unit of work (from the identity map: no query)."""
        row = await self._session.get(self.row_type, key)
        if row is None:
            raise LookupError(f"{self.row_type.__name__} {key} was not loaded in this unit of work")
        return row

    async def _flush(self) -> None:
        await flush(self._session)

    async def _write(self, key: object, values: dict[str, Any]) -> None:
        """Write ``values`` to the row of an entity loaded earlier in this unit of work, and flush."""
        row = await self._loaded(key)
        for name, value in values.items():
            setattr(row, name, value)
        await self._flush()

    async def _newest_first(
        self, key: InstrumentedAttribute[UUID], *conditions: ColumnElement[bool], after: UUID | None, limit: int
    ) -> Sequence[RowT]:
        """A keyset page by a time-ordered id, newest first; the seek (``key < after``) is ours, never OFFSET."""
        if after is not None:
            conditions = (*conditions, key < after)
        return await self._rows.get_many(*conditions, LimitOffset(limit=limit, offset=0), order_by=key.desc())


class SqlaEntityRepository(SqlaRepository[RowT], Generic[RowT, E]):
    """Base of a repository whose entity maps column for column onto its row (ADR 0006).

    The mapping is declared, not written out: ``entity_type`` is the entity,
    ``converters`` turn the columns that have a type of their own (enums,
    value objects) back into it; ``column_values`` does the other direction.
    """

    entity_type: type[E]
    converters: ClassVar[Converters] = {}

    def _entity(self, row: object) -> E:
        """``row``: an ORM row or a Core one (anything with the columns as attributes)."""
        converted = {name: convert(getattr(row, name)) for name, convert in self.converters.items()}
        return entity_from(self.entity_type, row, **converted)

    async def _find(self, *conditions: ColumnElement[bool], for_update: bool = False, **columns: Any) -> E | None:
        row = await self._one(*conditions, for_update=for_update, **columns)
        return self._entity(row) if row is not None else None

    async def add(self, entity: E) -> None:
        await self._add(self.row_type(**column_values(entity)))

    async def save(self, entity: E) -> None:
        values = column_values(entity)
        await self._write(values.pop("id"), values)


def column_values(entity: DataclassInstance, *, exclude: Collection[str] = ()) -> dict[str, Any]:
    """An entity's fields by name, as column values: enums and value objects unwrapped, tuples as lists."""
    values: dict[str, Any] = {}
    for field in fields(entity):
        if field.name in exclude:
            continue
        value = getattr(entity, field.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "value"):  # Email, Phone, NationalId
            value = value.value
        values[field.name] = value
    return values


def entity_from(entity_type: type[E], row: object, **converted: Any) -> E:
    """``entity_type`` built from the row's columns of the same names; ``converted`` for the others."""
    columns = {field.name: getattr(row, field.name) for field in fields(entity_type) if field.name not in converted}
    return entity_type(**columns, **converted)
