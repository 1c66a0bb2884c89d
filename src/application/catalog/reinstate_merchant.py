"""Use case: staff reinstate a suspended store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.merchant_decisions import change_store_visibility
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from domain.catalog.merchants import Merchant, MerchantId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ReinstateMerchantCommand:
    actor: Actor
    merchant_id: MerchantId


class ReinstateMerchant:
    """Reopen a suspended store: its listable products are shown again, cache included.

    Rules: support agents and admins only; only a suspended store can be
    reinstated (409); the applicant is told through the outbox.
    """

    def __init__(
        self, *, unit_of_work: Callable[[], UnitOfWork], clock: Clock, cache: CatalogCacheInvalidation
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._cache = cache

    async def __call__(self, command: ReinstateMerchantCommand) -> Merchant:
        now = self._clock.now()
        return await change_store_visibility(
            unit_of_work=self._unit_of_work,
            cache=self._cache,
            actor=command.actor,
            merchant_id=command.merchant_id,
            kind="merchant_reinstated",
            decide=lambda merchant: merchant.reinstate(now),
        )
