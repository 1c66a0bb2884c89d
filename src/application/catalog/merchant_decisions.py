"""What staff decisions on a merchant share: the merchant and its applicant locked, the outbox, the listings.

``approve_merchant``, ``suspend_merchant`` and ``reinstate_merchant`` are the use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from application.audit.staff_action import StaffAction
from application.identity.policies import require_admin
from application.ports import CatalogCacheInvalidation, Clock, Notification, UnitOfWork
from application.use_case import use_case
from domain.audit import AuditAction, AuditEvent, SubjectType, Summary
from domain.catalog.merchants import Merchant, MerchantId
from domain.catalog.products import ProductId
from domain.errors import NotFound
from domain.identity.users import User


async def merchant_and_applicant(uow: UnitOfWork, merchant_id: MerchantId) -> tuple[Merchant, User]:
    """The merchant and the person who applied for it, both locked for the rest of the transaction."""
    merchant = await uow.merchants.get(merchant_id, for_update=True)
    if merchant is None:
        raise NotFound("no such store")
    applicant = await uow.users.get(merchant.applicant_id, for_update=True)
    if applicant is None:
        raise NotFound("the applicant's account no longer exists")
    return merchant, applicant


async def record_decision(uow: UnitOfWork, merchant: Merchant, applicant: User, kind: str) -> list[ProductId]:
    """Merchant the decision, show or hide the merchant's products, and queue the applicant's notice.

    Returns the products whose visibility changed.
    """
    await uow.merchants.save(merchant)
    changed = await uow.products.relist_store(merchant.id, store_open=merchant.is_open)
    payload = {"merchant_id": str(merchant.id), "store": merchant.name, "status": merchant.status.value}
    if merchant.suspension_reason:
        payload["reason"] = merchant.suspension_reason
    await uow.outbox.notify(Notification(recipient=applicant.email.value, kind=kind, payload=payload))
    return changed


def store_summary(merchant: Merchant) -> Summary:
    """What the audit trail keeps of a store before and after a staff decision."""
    return {"status": merchant.status.value, "suspension_reason": merchant.suspension_reason}


def decision_event(
    command: StaffAction, action: AuditAction, merchant: Merchant, *, before: Summary, now: datetime
) -> AuditEvent:
    return command.audit_event(
        action, SubjectType.MERCHANT, merchant.id, before=before, after=store_summary(merchant), now=now
    )


async def refresh_listings(cache: CatalogCacheInvalidation, changed: list[ProductId]) -> None:
    if changed:
        await cache.products_changed(changed)
        await cache.listings_changed()


@use_case
class MerchantVisibilityDecision:
    """A decision that only opens or closes a merchant (suspend, reinstate): no one's role changes."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    cache: CatalogCacheInvalidation

    async def _decide(
        self,
        command: StaffAction,
        merchant_id: MerchantId,
        kind: str,
        decide: Callable[[Merchant, datetime], None],
        *,
        action: AuditAction,
    ) -> Merchant:
        """Apply ``decide`` to the locked store, tell its applicant, and leave one ``action`` audit event."""
        require_admin(command.actor, action="decide on stores")
        async with self.unit_of_work() as uow:
            merchant, applicant = await merchant_and_applicant(uow, merchant_id)
            before, now = store_summary(merchant), self.clock.now()
            decide(merchant, now)
            changed = await record_decision(uow, merchant, applicant, kind)
            await uow.audit.record(decision_event(command, action, merchant, before=before, now=now))
            await uow.commit()
        await refresh_listings(self.cache, changed)
        return merchant
