"""Use case: the store ships one of its paid orders."""

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
from domain.ordering.orders import Order, OrderId, Shipment


@dataclass(frozen=True, slots=True)
class ShipOrderCommand:
    actor: Actor
    merchant_id: MerchantId
    order_id: OrderId
    carrier: str
    tracking_code: str


@use_case
class ShipOrder:
    """The store's members mark a paid order shipped with carrier and tracking code; the buyer is told.

    Another store's order is a 404; an order that is not paid is refused by the domain (409).
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock

    async def __call__(self, command: ShipOrderCommand) -> Order:
        shipment = Shipment.parse(command.carrier, command.tracking_code)
        async with self.unit_of_work() as uow:
            order = await stores_order(
                uow, command.actor, command.merchant_id, command.order_id, write=True, for_update=True
            )
            order.ship(shipment, self.clock.now())
            await uow.orders.save(order)
            await tell_buyer(
                uow,
                order.buyer_id,
                "order_shipped",
                {"order_id": str(order.id), "carrier": shipment.carrier, "tracking_code": shipment.tracking_code},
            )
            await uow.commit()
        return order
