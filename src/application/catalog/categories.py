"""Use cases: admins shape the category tree; everyone reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports import CatalogCacheInvalidation, IdGenerator, UnitOfWork
from domain.catalog.categories import Category, CategoryId, category_name, category_slug, child_path, slugify
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role


def _require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise NotAllowed("only admins manage categories")


@dataclass(frozen=True, slots=True)
class CreateCategoryCommand:
    actor: Actor
    name: str
    slug: str | None = None
    parent_id: CategoryId | None = None


@dataclass(frozen=True, slots=True)
class UpdateCategoryCommand:
    actor: Actor
    category_id: CategoryId
    name: str | None = None
    slug: str | None = None
    parent_id: CategoryId | None = None
    move_to_root: bool = False


class ManageCategories:
    """Create, rename, move and delete categories.

    Slugs are unique; a category cannot move under itself or its
    descendants; a category with products or subcategories cannot be deleted
    (409). Renames and moves change the paths shown on products, so those
    products' cached pages are invalidated.
    """

    def __init__(
        self, *, unit_of_work: Callable[[], UnitOfWork], ids: IdGenerator, cache: CatalogCacheInvalidation
    ) -> None:
        self._unit_of_work = unit_of_work
        self._ids = ids
        self._cache = cache

    async def create(self, command: CreateCategoryCommand) -> Category:
        _require_admin(command.actor)
        name = category_name(command.name)
        slug = category_slug(command.slug if command.slug is not None else slugify(name) or name)
        async with self._unit_of_work() as uow:
            parent = await self._parent(uow, command.parent_id)
            category = Category(
                id=CategoryId(self._ids.new_id()),
                name=name,
                slug=slug,
                parent_id=parent.id if parent else None,
                path=child_path(parent, slug),
            )
            await uow.categories.add(category)
            await uow.commit()
        return category

    async def update(self, command: UpdateCategoryCommand) -> Category:
        _require_admin(command.actor)
        async with self._unit_of_work() as uow:
            category = await uow.categories.get(command.category_id, for_update=True)
            if category is None:
                raise NotFound("no such category")
            previous_path = category.path
            if command.name is not None:
                category.name = category_name(command.name)
            if command.slug is not None:
                category.slug = category_slug(command.slug)
            parent: Category | None
            if command.move_to_root:
                parent = None
            elif command.parent_id is not None:
                parent = await self._parent(uow, command.parent_id)
                if parent is not None and (parent.id == category.id or category.is_ancestor_of(parent)):
                    raise InvalidValue(
                        "a category cannot move under itself or its descendants", field="parent_id", rule="cycle"
                    )
            else:
                parent = await uow.categories.get(category.parent_id) if category.parent_id else None
            category.parent_id = parent.id if parent else None
            category.path = child_path(parent, category.slug)
            await uow.categories.save(category, previous_path=previous_path)
            affected = await uow.categories.product_ids_under(category.path)
            await uow.commit()
        if affected:
            await self._cache.products_changed(affected)
            await self._cache.listings_changed()
        return category

    async def delete(self, actor: Actor, category_id: CategoryId) -> None:
        _require_admin(actor)
        async with self._unit_of_work() as uow:
            category = await uow.categories.get(category_id, for_update=True)
            if category is None:
                raise NotFound("no such category")
            if await uow.categories.has_children(category_id):
                raise Conflict("the category has subcategories; move or delete them first", field="category")
            if await uow.categories.has_products(category_id):
                raise Conflict("the category has products; move them first", field="category")
            await uow.categories.delete(category_id)
            await uow.commit()

    async def list(self) -> list[Category]:
        async with self._unit_of_work() as uow:
            return await uow.categories.all()

    @staticmethod
    async def _parent(uow: UnitOfWork, parent_id: CategoryId | None) -> Category | None:
        if parent_id is None:
            return None
        parent = await uow.categories.get(parent_id)
        if parent is None:
            raise InvalidValue("the parent category does not exist", field="parent_id", rule="unknown_category")
        return parent
