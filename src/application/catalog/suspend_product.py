"""Use case: a moderator suspends a product."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.moderation import moderate_product
from application.ports import CatalogCacheInvalidation, Clock, UnitOfWork
from domain.catalog.products import Product, ProductId
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class SuspendProductCommand:
    actor: Actor
    product_id: ProductId
    reason: str


class SuspendProduct:
    """Hide a product from customers at once, cached pages included.

    Rules: support agents and admins only; the reason (3 to 500 characters)
    is kept on the product; the store keeps seeing its product.
    """

    def __init__(
        self, *, unit_of_work: Callable[[], UnitOfWork], clock: Clock, cache: CatalogCacheInvalidation
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._cache = cache

    async def __call__(self, command: SuspendProductCommand) -> Product:
        now = self._clock.now()
        return await moderate_product(
            unit_of_work=self._unit_of_work,
            cache=self._cache,
            actor=command.actor,
            product_id=command.product_id,
            decide=lambda product: product.suspend(command.reason, now),
        )
