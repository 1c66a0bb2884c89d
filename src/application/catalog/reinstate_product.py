"""Use case: a moderator reinstates a suspended product."""

from __future__ import annotations

from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.catalog.moderation import ProductModeration
from domain.audit import AuditAction
from domain.catalog.products import Product, ProductId


@dataclass(frozen=True, slots=True)
class ReinstateProductCommand(StaffAction):
    product_id: ProductId


class ReinstateProduct(ProductModeration):
    """Lift a product's suspension: customers see it again if it is otherwise listed.

    Rules: support agents and admins only; a product that is not suspended
    is a conflict (409); one ``product.reinstated`` audit event.
    """

    async def __call__(self, command: ReinstateProductCommand) -> Product:
        return await self._moderate(
            command,
            command.product_id,
            lambda product, now: product.reinstate(now),
            action=AuditAction.PRODUCT_REINSTATED,
        )
