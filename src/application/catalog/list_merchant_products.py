"""Use case: a merchant's own catalog, a keyset page at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.pagination import Page, PageRequest
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class MerchantProductsQuery(PageRequest[ProductId]):
    actor: Actor
    merchant_id: MerchantId
    status: ProductStatus | None = None
    text: str | None = None


@use_case
class ListMerchantProducts:
    """The merchant's products, newest first, optionally by status or by words in the name or SKU.

    Rules: the merchant's members and platform staff may read it; anybody else
    gets a 404; a page holds 1 to 100 products.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: MerchantProductsQuery) -> Page[Product, ProductId]:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            rows = await uow.products.list_for_store(
                query.merchant_id, status=query.status, text=query.text, after=query.after, limit=query.size + 1
            )
        return query.page(rows, lambda product: product.id)
