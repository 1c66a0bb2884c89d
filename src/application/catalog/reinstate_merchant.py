"""Use case: staff reinstate a suspended merchant."""

from __future__ import annotations

from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.catalog.merchant_decisions import MerchantVisibilityDecision
from domain.audit import AuditAction
from domain.catalog.merchants import Merchant, MerchantId


@dataclass(frozen=True, slots=True)
class ReinstateMerchantCommand(StaffAction):
    merchant_id: MerchantId


class ReinstateMerchant(MerchantVisibilityDecision):
    """Reopen a suspended merchant: its listable products are shown again, cache included.

    Rules: support agents and admins only; only a suspended merchant can be
    reinstated (409); the applicant is told through the outbox; one
    ``merchant.reinstated`` audit event.
    """

    async def __call__(self, command: ReinstateMerchantCommand) -> Merchant:
        return await self._decide(
            command,
            command.merchant_id,
            "merchant_reinstated",
            lambda merchant, now: merchant.reinstate(now),
            action=AuditAction.MERCHANT_REINSTATED,
        )
