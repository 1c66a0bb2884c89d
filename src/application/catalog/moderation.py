"""What suspending and reinstating a product share: staff only, the product locked, listings refreshed."""

from __future__ import annotations

from collections.abc import Callable

from application.identity.policies import require_staff
from application.ports import CatalogCacheInvalidation, UnitOfWork
from domain.catalog.products import Product, ProductId
from domain.errors import NotFound
from domain.identity.roles import Actor


async def moderate_product(
    *,
    unit_of_work: Callable[[], UnitOfWork],
    cache: CatalogCacheInvalidation,
    actor: Actor,
    product_id: ProductId,
    decide: Callable[[Product], None],
) -> Product:
    """Apply ``decide`` to the locked product, store whether customers can see it, and tell the cache."""
    require_staff(actor)
    async with unit_of_work() as uow:
        product = await uow.products.get(product_id, for_update=True)
        if product is None:
            raise NotFound("no such product")
        merchant = await uow.merchants.get(product.merchant_id)
        decide(product)
        await uow.products.save(product, listed=product.is_listed(merchant is not None and merchant.is_open))
        await uow.commit()
    await cache.products_changed([product.id])
    await cache.listings_changed()
    return product
