"""Use case: anyone reads the public profile of an approved merchant."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Merchant, MerchantId
from domain.errors import NotFound


@use_case
class GetMerchantProfile:
    """The public profile of an approved merchant; any other merchant is a 404."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, merchant_id: MerchantId) -> Merchant:
        async with self.unit_of_work() as uow:
            merchant = await uow.merchants.get(merchant_id)
        if merchant is None or not merchant.is_open:
            raise NotFound("no such store")
        return merchant
