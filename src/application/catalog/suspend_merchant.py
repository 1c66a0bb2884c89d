"""Use case: staff suspend an approved store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.merchant_decisions import change_store_visibility
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from domain.catalog.merchants import Merchant, MerchantId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class SuspendMerchantCommand:
    actor: Actor
    merchant_id: MerchantId
    reason: str


class SuspendMerchant:
    """Close an approved store: every one of its products is hidden at once, cache included.

    Rules: support agents and admins only; only an approved store can be
    suspended (409); the reason (3 to 500 characters) is kept and sent to the
    applicant through the outbox.
    """

    def __init__(
        self, *, unit_of_work: Callable[[], UnitOfWork], clock: Clock, cache: CatalogCacheInvalidation
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._cache = cache

    async def __call__(self, command: SuspendMerchantCommand) -> Merchant:
        now = self._clock.now()
        return await change_store_visibility(
            unit_of_work=self._unit_of_work,
            cache=self._cache,
            actor=command.actor,
            merchant_id=command.merchant_id,
            kind="merchant_suspended",
            decide=lambda merchant: merchant.suspend(command.reason, now),
        )
