"""Use case: a moderator reinstates a suspended product."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog.moderation import ProductModeration
from domain.catalog.products import Product, ProductId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ReinstateProductCommand:
    actor: Actor
    product_id: ProductId


class ReinstateProduct(ProductModeration):
    """Lift a product's suspension: customers see it again if it is otherwise listed.

    Rules: support agents and admins only; a product that is not suspended
    is a conflict (409).
    """

    async def __call__(self, command: ReinstateProductCommand) -> Product:
        return await self._moderate(command.actor, command.product_id, lambda product, now: product.reinstate(now))
