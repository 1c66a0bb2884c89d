"""Use case: staff list the merchants, by status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.policies import require_staff
from application.pagination import Page, PageRequest
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Merchant, MerchantId, MerchantStatus
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ListMerchantsQuery(PageRequest[MerchantId]):
    actor: Actor
    status: MerchantStatus | None = None


@use_case
class ListMerchants:
    """Merchants newest first, a keyset page at a time. Rules: support agents and admins only."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: ListMerchantsQuery) -> Page[Merchant, MerchantId]:
        require_staff(query.actor)
        async with self.unit_of_work() as uow:
            rows = await uow.merchants.list(status=query.status, after=query.after, limit=query.size + 1)
        return query.page(rows, lambda merchant: merchant.id)
