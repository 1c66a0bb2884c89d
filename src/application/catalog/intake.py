"""``ProductIntake``: what the use cases that add products to a store's catalog are built from."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import CatalogCacheInvalidation, Clock, IdGenerator, UnitOfWork
from application.use_case import use_case
from domain.money import Currency


@use_case
class ProductIntake:
    """Base of ``CreateProduct``, ``ImportProducts`` and ``ImportCatalog``: the same ports, wired the same way.

    They mint product and stock-movement ids, price in the marketplace
    ``currency``, stamp the time, and invalidate the public pages they change.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator
    currency: Currency
    cache: CatalogCacheInvalidation
