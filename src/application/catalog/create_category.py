"""Use case: an admin adds a category to the tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.references import parent_category, require_admin
from application.ports import IdGenerator, UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import Category, CategoryId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class CreateCategoryCommand:
    actor: Actor
    name: str
    slug: str | None = None
    parent_id: CategoryId | None = None


@use_case
class CreateCategory:
    """Add a category, at the root or under an existing parent.

    Rules: admins only; the slug defaults to the slugified name and is unique
    (409); the parent must exist (422); categories nest at most six deep.
    """

    unit_of_work: Callable[[], UnitOfWork]
    ids: IdGenerator

    async def __call__(self, command: CreateCategoryCommand) -> Category:
        require_admin(command.actor)
        async with self.unit_of_work() as uow:
            category = Category.create(
                id=CategoryId(self.ids.new_id()),
                name=command.name,
                slug=command.slug,
                parent=await parent_category(uow, command.parent_id),
            )
            await uow.categories.add(category)
            await uow.commit()
        return category
