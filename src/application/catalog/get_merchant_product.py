"""Use case: one product of a merchant, as its staff and platform staff see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.references import merchant_product
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class GetMerchantProductQuery:
    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId


@use_case
class GetMerchantProduct:
    """Any product of the merchant, drafts and archived ones included.

    Rules: the merchant's members and platform staff may read it; anybody else,
    and any other merchant's product, gets a 404.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: GetMerchantProductQuery) -> Product:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            return await merchant_product(uow, query.merchant_id, query.product_id)
