"""Use case: staff suspend an approved merchant."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog.merchant_decisions import MerchantVisibilityDecision
from domain.catalog.merchants import Merchant, MerchantId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class SuspendMerchantCommand:
    actor: Actor
    merchant_id: MerchantId
    reason: str


class SuspendMerchant(MerchantVisibilityDecision):
    """Close an approved merchant: every one of its products is hidden at once, cache included.

    Rules: support agents and admins only; only an approved merchant can be
    suspended (409); the reason (3 to 500 characters) is kept and sent to the
    applicant through the outbox.
    """

    async def __call__(self, command: SuspendMerchantCommand) -> Merchant:
        return await self._decide(
            command.actor,
            command.merchant_id,
            "merchant_suspended",
            lambda merchant, now: merchant.suspend(command.reason, now),
        )
