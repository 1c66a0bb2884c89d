"""Use case: a customer cancels a paid order before it ships."""

from __future__ import annotations

from dataclasses import dataclass

from application.ordering.access import buyers_order
from application.ordering.reversal import OrderReversal
from application.use_case import use_case
from domain.errors import Conflict
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderId, OrderStatus


@dataclass(frozen=True, slots=True)
class CancelOrderCommand:
    actor: Actor
    order_id: OrderId


@use_case
class CancelOrder(OrderReversal):
    """The buyer cancels their own paid order while it has not shipped.

    Rules: only ``paid`` orders (an unpaid one is left to expire; a shipped one
    is refunded by support). The order becomes ``cancelled``; its units go back
    to stock; the store's ledger gets the reversing entries and the invoice a
    credit note, all in one transaction; then the order total is refunded
    through the gateway under a key derived from the order, so it can never be
    refunded twice. Buyer and store are told.
    """

    async def __call__(self, command: CancelOrderCommand) -> Order:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            order = await buyers_order(uow, command.actor, command.order_id, for_update=True)
            if order.status is OrderStatus.PENDING_PAYMENT:
                raise Conflict(
                    "an unpaid order is not cancelled: leave its checkout unpaid and it expires", field="status"
                )
            order.cancel(now)
            reversal = await self.reverse_and_commit(
                uow, order, returns_stock=True, notice="order_cancelled", actor_id=command.actor.user_id, now=now
            )
        await self.settle(reversal)
        return order
