"""Reserving and returning stock through the catalog's conditional update and ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from application.ports import CatalogCacheInvalidation, IdGenerator
from application.ports.ordering import OrderingUnitOfWork
from domain.catalog.products import ProductId
from domain.identity.roles import UserId
from domain.ordering.checkouts import InsufficientStock, Shortage
from domain.ordering.orders import Order


@dataclass(frozen=True, slots=True)
class StockChange:
    product_id: ProductId
    delta: int
    level: int

    @property
    def flipped_availability(self) -> bool:
        """It just ran out, or just came back: public pages showing ``in_stock`` are stale."""
        return self.level in {0, self.delta}


async def reserve(
    uow: OrderingUnitOfWork,
    wanted: Sequence[tuple[ProductId, str, int]],
    *,
    reason: str,
    actor_id: UserId,
    ids: IdGenerator,
    now: datetime,
) -> list[StockChange]:
    """Take ``(product, sku, quantity)`` out of stock, all or nothing.

    One conditional decrement with its ledger row per line, in product-id order: two checkouts
    sharing products lock their rows in the same order, so they cannot
    deadlock. A short line does not stop the others being tried, so the error
    names every short product; the caller's transaction is rolled back.
    """
    changes: list[StockChange] = []
    short: list[tuple[ProductId, str, int]] = []
    for product_id, sku, quantity in sorted(wanted, key=lambda item: item[0]):
        level = await uow.products.adjust_stock_and_record(
            product_id, -quantity, now, movement_id=ids.new_id(), reason=reason, actor_id=actor_id
        )
        if level is None:
            short.append((product_id, sku, quantity))
        else:
            changes.append(StockChange(product_id, -quantity, level))
    if short:  # the ledger rows of the lines that moved go with the rolled-back transaction
        levels = await uow.sellables.stock_levels([product_id for product_id, _, _ in short])
        raise InsufficientStock(
            tuple(Shortage(product_id, sku, quantity, levels.get(product_id, 0)) for product_id, sku, quantity in short)
        )
    return changes


async def release(
    uow: OrderingUnitOfWork,
    orders: Sequence[Order],
    *,
    reason: str,
    actor_id: UserId | None,
    ids: IdGenerator,
    now: datetime,
) -> list[StockChange]:
    """Give the orders' units back to stock, one update with its ledger row per product.

    Products are locked in id order across all the orders, like reservations,
    so a release never deadlocks with a checkout.
    """
    returned: dict[ProductId, int] = {}
    for order in orders:
        for line in order.lines:
            returned[line.unit.product_id] = returned.get(line.unit.product_id, 0) + line.quantity
    changes: list[StockChange] = []
    for product_id, quantity in sorted(returned.items()):
        level = await uow.products.adjust_stock_and_record(
            product_id, quantity, now, movement_id=ids.new_id(), reason=reason, actor_id=actor_id
        )
        if level is None:  # pragma: no cover - only past MAX_STOCK, which a merchant would have to fill first
            continue
        changes.append(StockChange(product_id, quantity, level))
    return changes


async def announce(cache: CatalogCacheInvalidation, changes: Sequence[StockChange]) -> None:
    """After commit: drop cached public pages whose ``in_stock`` just changed."""
    flipped = sorted({change.product_id for change in changes if change.flipped_availability})
    if flipped:
        await cache.products_changed(flipped)
        await cache.listings_changed()
