"""Use case: a merchant's staff add or remove stock, recorded in the stock ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.references import merchant_product
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator, UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import MAX_STOCK, ProductId, StockMovement, stock_delta, stock_reason
from domain.errors import InvalidValue, OutOfStock
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class MoveStockCommand:
    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId
    delta: int
    reason: str


@use_case
class MoveStock:
    """Apply a stock movement atomically and record it in the ledger.

    Rules:
    - only the merchant's manager and staff move its stock; another merchant's
      product is a 404;
    - the delta is non-zero and bounded; a reason is required;
    - stock never goes below zero (409 ``out_of_stock``) nor above ``MAX_STOCK``
      (422 ``stock_cap``, checked before the column could overflow), even under
      concurrent movements: the database applies the change conditionally;
    - every movement is a ledger line with the level it left;
    - cached pages are invalidated only when availability flips (the product
      just ran out, or just came back).
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator
    cache: CatalogCacheInvalidation

    async def __call__(self, command: MoveStockCommand) -> StockMovement:
        delta = stock_delta(command.delta)
        reason = stock_reason(command.reason)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            access = await merchant_access(uow, command.actor, command.merchant_id, write=True)
            product = await merchant_product(uow, command.merchant_id, command.product_id)
            level = await uow.products.adjust_stock(product.id, delta, now)
            if level is None and delta > 0:
                message = f"a product holds at most {MAX_STOCK:,} units"
                raise InvalidValue(message, field="delta", rule="stock_cap")
            if level is None:
                raise OutOfStock("not enough stock for this change", field="delta")
            movement = StockMovement(
                id=self.ids.new_id(),
                product_id=product.id,
                delta=delta,
                reason=reason,
                actor_id=command.actor.user_id,
                resulting_level=level,
                created_at=now,
            )
            await uow.stock_ledger.record(movement)
            await uow.commit()
        availability_flipped = level in {0, delta}  # it just ran out, or just came back
        if availability_flipped:
            await self.cache.products_changed([product.id])
            if product.is_listed(access.merchant.is_open):
                await self.cache.listings_changed()
        return movement
