"""Use case: the store records that a shipped order was delivered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.access import stores_order
from application.ordering.notifications import tell_buyer
from application.ports import Clock
from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderId


@dataclass(frozen=True, slots=True)
class DeliverOrderCommand:
    actor: Actor
    merchant_id: MerchantId
    order_id: OrderId


@use_case
class DeliverOrder:
    """Shipped → delivered, timestamped: the store's money for it becomes available N days later."""

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock

    async def __call__(self, command: DeliverOrderCommand) -> Order:
        async with self.unit_of_work() as uow:
            order = await stores_order(
                uow, command.actor, command.merchant_id, command.order_id, write=True, for_update=True
            )
            order.deliver(self.clock.now())
            await uow.orders.save(order)
            await tell_buyer(uow, order.buyer_id, "order_delivered", {"order_id": str(order.id)})
            await uow.commit()
        return order
