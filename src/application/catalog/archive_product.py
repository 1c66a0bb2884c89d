"""Use case: a merchant's staff archive a product."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.references import merchant_product
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ArchiveProductCommand:
    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId


@use_case
class ArchiveProduct:
    """Take a product off sale for good.

    Rules:
    - only the merchant's manager and staff write its catalog; another merchant's
      product is a 404;
    - products are archived, never deleted: orders point at them;
    - the product's cached page is invalidated, and the listings too when it
      was listed.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    cache: CatalogCacheInvalidation

    async def __call__(self, command: ArchiveProductCommand) -> Product:
        async with self.unit_of_work() as uow:
            access = await merchant_access(uow, command.actor, command.merchant_id, write=True)
            product = await merchant_product(uow, command.merchant_id, command.product_id, for_update=True)
            was_listed = product.is_listed(access.merchant.is_open)
            product.archive(self.clock.now())
            await uow.products.save(product, listed=False)
            await uow.commit()
        await self.cache.products_changed([product.id])
        if was_listed:
            await self.cache.listings_changed()
        return product
