"""Use case: staff approve a merchant application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.catalog.merchant_decisions import (
    decision_event,
    merchant_and_applicant,
    record_decision,
    refresh_listings,
    store_summary,
)
from application.identity.credentials import CredentialLookup
from application.identity.policies import require_admin
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from application.use_case import use_case
from domain.audit import AuditAction
from domain.catalog.merchants import Membership, Merchant, MerchantId, StoreRole
from domain.errors import Conflict
from domain.identity.roles import Role


@dataclass(frozen=True, slots=True)
class ApproveMerchantCommand(StaffAction):
    merchant_id: MerchantId


@use_case
class ApproveMerchant:
    """Open a pending merchant; its applicant becomes its manager.

    Rules:
    - support agents and admins only; only a pending merchant can be approved
      (409);
    - the applicant must not work for another merchant meanwhile (409);
    - the applicant becomes ``merchant_manager``: a role change, so their
      current tokens stop working;
    - the applicant is told through the outbox; the merchant's products become
      visible, cache included;
    - one ``merchant.approved`` audit event (the manager's new role is part of
      the approval, not an action of its own).
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup
    cache: CatalogCacheInvalidation

    async def __call__(self, command: ApproveMerchantCommand) -> Merchant:
        require_admin(command.actor, action="approve stores")
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            merchant, applicant = await merchant_and_applicant(uow, command.merchant_id)
            before = store_summary(merchant)
            merchant.approve(now)
            if await uow.memberships.of_user(applicant.id) is not None:
                raise Conflict("the applicant already works for another store", field="applicant")
            await uow.memberships.add(
                Membership(merchant_id=merchant.id, user_id=applicant.id, role=StoreRole.MANAGER, created_at=now)
            )
            applicant.change_role(Role.MERCHANT_MANAGER, now)
            await uow.users.save(applicant)
            changed = await record_decision(uow, merchant, applicant, "merchant_approved")
            await uow.audit.record(
                decision_event(command, AuditAction.MERCHANT_APPROVED, merchant, before=before, now=now)
            )
            await uow.commit()
        await self.credentials.forget_user(applicant)
        await refresh_listings(self.cache, changed)
        return merchant
