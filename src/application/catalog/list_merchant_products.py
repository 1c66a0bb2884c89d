"""Use case: a store's own catalog, a keyset page at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import store_access
from application.pagination import keyset_page
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class MerchantProductsQuery:
    actor: Actor
    merchant_id: MerchantId
    status: ProductStatus | None = None
    text: str | None = None
    after: ProductId | None = None
    limit: int = 20


@use_case
class ListMerchantProducts:
    """The store's products, newest first, optionally by status or by words in the name or SKU.

    Rules: the store's members and platform staff may read it; anybody else
    gets a 404; a page holds 1 to 100 products.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: MerchantProductsQuery) -> tuple[list[Product], ProductId | None]:
        limit = max(1, min(query.limit, 100))
        async with self.unit_of_work() as uow:
            await store_access(uow, query.actor, query.merchant_id, write=False)
            rows = await uow.products.list_for_store(
                query.merchant_id, status=query.status, text=query.text, after=query.after, limit=limit + 1
            )
        return keyset_page(rows, limit, lambda product: product.id)
