"""Use case: staff approve a merchant application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.merchant_decisions import merchant_and_applicant, record_decision, refresh_listings
from application.identity.credentials import CredentialLookup
from application.identity.policies import require_staff
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Membership, Merchant, MerchantId, StoreRole
from domain.errors import Conflict
from domain.identity.roles import Actor, Role


@dataclass(frozen=True, slots=True)
class ApproveMerchantCommand:
    actor: Actor
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
      visible, cache included.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup
    cache: CatalogCacheInvalidation

    async def __call__(self, command: ApproveMerchantCommand) -> Merchant:
        require_staff(command.actor)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            merchant, applicant = await merchant_and_applicant(uow, command.merchant_id)
            merchant.approve(now)
            if await uow.memberships.of_user(applicant.id) is not None:
                raise Conflict("the applicant already works for another store", field="applicant")
            await uow.memberships.add(
                Membership(merchant_id=merchant.id, user_id=applicant.id, role=StoreRole.MANAGER, created_at=now)
            )
            applicant.change_role(Role.MERCHANT_MANAGER, now)
            await uow.users.save(applicant)
            changed = await record_decision(uow, merchant, applicant, "merchant_approved")
            await uow.commit()
        await self.credentials.forget_user(applicant)
        await refresh_listings(self.cache, changed)
        return merchant
