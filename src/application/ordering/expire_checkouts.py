"""Use case (a job): unpaid checkouts past their deadline expire and give their stock back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.policies import require_staff
from application.ordering.stock import announce, release
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator
from application.ports.ordering import OrderingUnitOfWork
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderStatus


@dataclass(frozen=True, slots=True)
class ExpireCheckoutsCommand:
    actor: Actor
    batch_size: int = 100


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    checkouts: int
    orders: int
    units_returned: int
    idempotency_keys_forgotten: int


class ExpireCheckouts:
    """Expire every unpaid checkout whose deadline has passed.

    Rules: its pending orders become ``expired`` and their units go back to
    stock with a ledger row each, in one transaction per batch. Checkouts are
    taken ``FOR UPDATE SKIP LOCKED``: one being paid right now is left for the
    next run, and two runs never expire the same one. A checkout whose payment
    is in flight (a pending attempt) is left alone; one whose outcome is
    unknown expires, and a charge that later comes back for it is refunded by
    the payment retry. Idempotency keys past their keeping time are dropped.
    Platform staff (or the operator) only.
    """

    def __init__(
        self,
        *,
        unit_of_work: Callable[[], OrderingUnitOfWork],
        clock: Clock,
        ids: IdGenerator,
        cache: CatalogCacheInvalidation,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._ids = ids
        self._cache = cache

    async def __call__(self, command: ExpireCheckoutsCommand) -> ExpiryReport:
        require_staff(command.actor)
        batch_size = max(1, min(command.batch_size, 1_000))
        checkouts = orders = units = 0
        while True:
            now = self._clock.now()
            async with self._unit_of_work() as uow:
                due = await uow.checkouts.due_for_expiry(now, limit=batch_size)
                expired: list[Order] = []
                for checkout in due:
                    checkout.expire(now)
                    await uow.checkouts.save(checkout)
                    for order in await uow.orders.of_checkout(checkout.id, for_update=True):
                        if order.status is OrderStatus.PENDING_PAYMENT:
                            order.expire(now)
                            await uow.orders.save(order)
                            expired.append(order)
                changes = await release(uow, expired, reason="checkout expired", actor_id=None, ids=self._ids, now=now)
                await uow.commit()
            orders += len(expired)
            units += sum(change.delta for change in changes)
            checkouts += len(due)
            await announce(self._cache, changes)
            if len(due) < batch_size:
                break
        async with self._unit_of_work() as uow:
            forgotten = await uow.idempotency_keys.forget_before(self._clock.now())
            await uow.commit()
        return ExpiryReport(
            checkouts=checkouts, orders=orders, units_returned=units, idempotency_keys_forgotten=forgotten
        )
