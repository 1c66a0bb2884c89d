"""Use case: an admin deletes an empty category."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.references import category_to_change, require_admin
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import CategoryId
from domain.errors import Conflict
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class DeleteCategoryCommand:
    actor: Actor
    category_id: CategoryId


@use_case
class DeleteCategory:
    """Delete a category that nothing hangs from.

    Rules: admins only; a category with subcategories or products cannot be
    deleted (409): move them first.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, command: DeleteCategoryCommand) -> None:
        require_admin(command.actor)
        async with self.unit_of_work() as uow:
            await category_to_change(uow, command.category_id)
            if await uow.categories.has_children(command.category_id):
                raise Conflict("the category has subcategories; move or delete them first", field="category")
            if await uow.categories.has_products(command.category_id):
                raise Conflict("the category has products; move them first", field="category")
            await uow.categories.delete(command.category_id)
            await uow.commit()
