"""Use case: a merchant's staff revise one of its products."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.create_product import PriceInput
from application.catalog.references import merchant_product, require_category
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId, ProductStatus, price
from domain.identity.roles import Actor
from domain.money import Currency


@dataclass(frozen=True, slots=True)
class ReviseProductCommand:
    """The fields to change; ``None`` keeps a field as it is."""

    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId
    name: str | None = None
    description: str | None = None
    price: PriceInput | None = None
    category_id: CategoryId | None = None
    images: list[str] | None = None
    status: ProductStatus | None = None


@use_case
class ReviseProduct:
    """Change a product's name, description, price, category, images or status.

    Rules:
    - only the merchant's manager and staff write its catalog; another merchant's
      product is a 404;
    - every field is validated as on creation; the new category must exist;
    - an archived product stays archived (409);
    - stock does not move here (see ``MoveStock``);
    - the product's cached page is invalidated, and the listings too when it
      was or now is listed.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    currency: Currency
    cache: CatalogCacheInvalidation

    async def __call__(self, command: ReviseProductCommand) -> Product:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            access = await merchant_access(uow, command.actor, command.merchant_id, write=True)
            product = await merchant_product(uow, command.merchant_id, command.product_id, for_update=True)
            was_listed = product.is_listed(access.merchant.is_open)
            new_price = command.price
            product.revise(
                now,
                name=command.name,
                description=command.description,
                price=price(new_price.amount_minor, new_price.currency, self.currency) if new_price else None,
                category_id=command.category_id,
                images=command.images,
                status=command.status,
            )
            if command.category_id is not None:
                await require_category(uow, command.category_id)
            listed = product.is_listed(access.merchant.is_open)
            await uow.products.save(product, listed=listed)
            await uow.commit()
        await self.cache.products_changed([product.id])
        if listed or was_listed:
            await self.cache.listings_changed()
        return product
