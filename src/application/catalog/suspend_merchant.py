"""Use case: staff suspend an approved merchant."""

from __future__ import annotations

from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.catalog.merchant_decisions import MerchantVisibilityDecision
from domain.audit import AuditAction
from domain.catalog.merchants import Merchant, MerchantId


@dataclass(frozen=True, slots=True)
class SuspendMerchantCommand(StaffAction):
    merchant_id: MerchantId
    reason: str


class SuspendMerchant(MerchantVisibilityDecision):
    """Close an approved merchant: every one of its products is hidden at once, cache included.

    Rules: support agents and admins only; only an approved merchant can be
    suspended (409); the reason (3 to 500 characters) is kept and sent to the
    applicant through the outbox; one ``merchant.suspended`` audit event.
    """

    async def __call__(self, command: SuspendMerchantCommand) -> Merchant:
        return await self._decide(
            command,
            command.merchant_id,
            "merchant_suspended",
            lambda merchant, now: merchant.suspend(command.reason, now),
            action=AuditAction.MERCHANT_SUSPENDED,
        )
