"""Use case: everyone reads the category tree."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import Category


@use_case
class ListCategories:
    """Every category, flat, in path order (a parent before its children). Public: no actor needed."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self) -> list[Category]:
        async with self.unit_of_work() as uow:
            return await uow.categories.all()
