"""Use case: everyone reads the category tree."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import UnitOfWork
from domain.catalog.categories import Category


class ListCategories:
    """Every category, flat, in path order (a parent before its children). Public: no actor needed."""

    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    async def __call__(self) -> list[Category]:
        async with self._unit_of_work() as uow:
            return await uow.categories.all()
