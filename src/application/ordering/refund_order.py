"""Use case: support or an admin refunds an order, shipped or not."""

from __future__ import annotations

from dataclasses import dataclass

from application.audit.staff_action import StaffAction
from application.identity.policies import require_staff
from application.ordering.access import no_such_order
from application.ordering.reversal import OrderReversal
from application.use_case import use_case
from domain.audit import AuditAction, SubjectType
from domain.ordering.orders import Order, OrderId


@dataclass(frozen=True, slots=True)
class RefundOrderCommand(StaffAction):
    order_id: OrderId
    reason: str


@use_case
class RefundOrder(OrderReversal):
    """Platform staff refund a paid, shipped or delivered order, saying why.

    Rules: the domain decides whether the order may become ``refunded``. Units
    go back to stock only if they never shipped. Ledger reversals and a credit
    note are written with the state change; the money goes back through the
    gateway after commit, under a key derived from the order (never twice).
    A refund is a staff action: one ``order.refunded`` audit event, in the
    same transaction.
    """

    async def __call__(self, command: RefundOrderCommand) -> Order:
        require_staff(command.actor)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            order = await uow.orders.get(command.order_id, for_update=True)
            if order is None:
                raise no_such_order()
            unshipped, before = order.holds_stock, order.status.value
            order.refund(command.reason, now)
            await uow.audit.record(
                command.audit_event(
                    AuditAction.ORDER_REFUNDED,
                    SubjectType.ORDER,
                    order.id,
                    before={"status": before},
                    after={"status": order.status.value, "reason": command.reason},
                    now=now,
                )
            )
            reversal = await self.reverse_and_commit(
                uow, order, returns_stock=unshipped, notice="order_refunded", actor_id=command.actor.user_id, now=now
            )
        await self.settle(reversal)
        return order
