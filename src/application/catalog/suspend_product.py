"""Use case: a moderator suspends a product."""

from __future__ import annotations

from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.catalog.moderation import ProductModeration
from domain.audit import AuditAction
from domain.catalog.products import Product, ProductId


@dataclass(frozen=True, slots=True)
class SuspendProductCommand(StaffAction):
    product_id: ProductId
    reason: str


class SuspendProduct(ProductModeration):
    """Hide a product from customers at once, cached pages included.

    Rules: support agents and admins only; the reason (3 to 500 characters)
    is kept on the product; the merchant keeps seeing its product; one
    ``product.suspended`` audit event.
    """

    async def __call__(self, command: SuspendProductCommand) -> Product:
        return await self._moderate(
            command,
            command.product_id,
            lambda product, now: product.suspend(command.reason, now),
            action=AuditAction.PRODUCT_SUSPENDED,
        )
