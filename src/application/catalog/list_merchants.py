"""Use case: staff list the merchants, by status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.policies import require_staff
from application.pagination import Page, keyset_page, page_size
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Merchant, MerchantId, MerchantStatus
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ListMerchantsQuery:
    actor: Actor
    status: MerchantStatus | None = None
    after: MerchantId | None = None
    limit: int = 20


@use_case
class ListMerchants:
    """Merchants newest first, a keyset page at a time. Rules: support agents and admins only."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: ListMerchantsQuery) -> Page[Merchant, MerchantId]:
        require_staff(query.actor)
        limit = page_size(query.limit)
        async with self.unit_of_work() as uow:
            rows = await uow.merchants.list(status=query.status, after=query.after, limit=limit + 1)
        return keyset_page(rows, limit, lambda merchant: merchant.id)
