"""What suspending and reinstating a product share: staff only, the product locked, listings refreshed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from application.audit.staff_action import StaffAction
from application.identity.policies import require_staff
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from application.use_case import use_case
from domain.audit import AuditAction, SubjectType
from domain.catalog.products import Product, ProductId
from domain.errors import NotFound


@use_case
class ProductModeration:
    """Base of ``SuspendProduct`` and ``ReinstateProduct``."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    cache: CatalogCacheInvalidation

    async def _moderate(
        self,
        command: StaffAction,
        product_id: ProductId,
        decide: Callable[[Product, datetime], None],
        *,
        action: AuditAction,
    ) -> Product:
        """Apply ``decide`` to the locked product, store whether customers can see it, and tell the cache.

        One ``action`` audit event records the suspension reason before and after, in the same transaction.
        """
        require_staff(command.actor)
        async with self.unit_of_work() as uow:
            product = await uow.products.get(product_id, for_update=True)
            if product is None:
                raise NotFound("no such product")
            merchant = await uow.merchants.get(product.merchant_id)
            before, now = {"suspension_reason": product.suspension_reason}, self.clock.now()
            decide(product, now)
            await uow.products.save(product, listed=product.is_listed(merchant is not None and merchant.is_open))
            await uow.audit.record(
                command.audit_event(
                    action,
                    SubjectType.PRODUCT,
                    product.id,
                    before=before,
                    after={"suspension_reason": product.suspension_reason},
                    now=now,
                )
            )
            await uow.commit()
        await self.cache.products_changed([product.id])
        await self.cache.listings_changed()
        return product
