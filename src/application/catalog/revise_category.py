"""Use case: an admin renames or moves a category."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.references import category_to_change, parent_category, require_admin
from application.ports import CatalogCacheInvalidation, UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import Category, CategoryId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ReviseCategoryCommand:
    """``None`` keeps a field; ``move_to_root`` moves the category to the top of the tree."""

    actor: Actor
    category_id: CategoryId
    name: str | None = None
    slug: str | None = None
    parent_id: CategoryId | None = None
    move_to_root: bool = False


@use_case
class ReviseCategory:
    """Rename a category, change its slug, or move it under another parent.

    Rules:
    - admins only; slugs stay unique (409);
    - a category cannot move under itself or its descendants (422), nor
      deeper than six levels, counting the subcategories that move with it;
    - its descendants move with it;
    - renames and moves change the paths shown on products, so the cached
      pages of every product under it are invalidated.
    """

    unit_of_work: Callable[[], UnitOfWork]
    cache: CatalogCacheInvalidation

    async def __call__(self, command: ReviseCategoryCommand) -> Category:
        require_admin(command.actor)
        async with self.unit_of_work() as uow:
            category = await category_to_change(uow, command.category_id)
            previous_path = category.path
            parent: Category | None
            if command.move_to_root:
                parent = None
            elif command.parent_id is not None:
                parent = await parent_category(uow, command.parent_id)
            else:
                parent = await uow.categories.get(category.parent_id) if category.parent_id else None
            levels_below = max(
                (
                    other.depth - category.depth
                    for other in await uow.categories.all()
                    if category.is_ancestor_of(other)
                ),
                default=0,
            )
            category.revise(name=command.name, slug=command.slug, parent=parent, levels_below=levels_below)
            await uow.categories.save(category, previous_path=previous_path)
            affected = await uow.categories.product_ids_under(category.path)
            await uow.commit()
        if affected:
            await self.cache.products_changed(affected)
            await self.cache.listings_changed()
        return category
