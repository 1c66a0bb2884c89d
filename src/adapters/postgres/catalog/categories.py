"""The category tree, kept as materialised slug paths."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, func, literal, or_, select, update
from sqlalchemy.orm import QueryableAttribute

from adapters.postgres.errors import constraint_errors
from adapters.postgres.patterns import escape_like
from adapters.postgres.repository import Rows, SqlaRepository, column_values, entity_from
from adapters.postgres.tables import CategoryRow, ProductRow
from application.ports import CategoryRepository
from domain.catalog.categories import Category, CategoryId
from domain.catalog.products import ProductId


def path_under(column: ColumnElement[str] | QueryableAttribute[str], path: ColumnElement[str]) -> ColumnElement[bool]:
    """The category at ``path`` and all its descendants."""
    return or_(column == path, column.like(func.replace(func.replace(path, "%", "\\%"), "_", "\\_") + "/%"))


def _category(row: CategoryRow) -> Category:
    return entity_from(Category, row)


class SqlaCategoryRepository(SqlaRepository[CategoryRow], CategoryRepository):
    row_type = CategoryRow

    async def get(self, category_id: CategoryId, *, for_update: bool = False) -> Category | None:
        row = await self._one(id=category_id, for_update=for_update)
        return _category(row) if row is not None else None

    async def all(self) -> list[Category]:
        return [_category(row) for row in await self._rows.get_many(order_by=CategoryRow.path.asc())]

    async def add(self, category: Category) -> None:
        await self._add(CategoryRow(**column_values(category)))

    async def save(self, category: Category, *, previous_path: str) -> None:
        await self._write(category.id, column_values(category, exclude={"id"}))
        if previous_path != category.path:
            with constraint_errors():
                await self._session.execute(
                    update(CategoryRow)
                    .where(CategoryRow.path.like(escape_like(previous_path) + "/%", escape="\\"))
                    .values(path=literal(category.path) + func.substr(CategoryRow.path, len(previous_path) + 1))
                )

    async def delete(self, category_id: CategoryId) -> None:
        with constraint_errors():
            await self._session.execute(delete(CategoryRow).where(CategoryRow.id == category_id))

    async def has_children(self, category_id: CategoryId) -> bool:
        return await self._rows.exists(parent_id=category_id)

    async def has_products(self, category_id: CategoryId) -> bool:
        return await Rows(self._session, ProductRow).exists(category_id=category_id)

    async def product_ids_under(self, path: str) -> list[ProductId]:
        rows = await self._session.scalars(
            select(ProductRow.id)
            .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
            .where(path_under(CategoryRow.path, literal(path)))
        )
        return [ProductId(product_id) for product_id in rows.all()]
