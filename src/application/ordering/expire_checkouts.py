"""Use case (a job): unpaid checkouts past their deadline expire and give their stock back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.identity.policies import require_staff
from application.ordering.pay_checkout import void_key
from application.ordering.stock import announce, release
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator
from application.ports.ordering import ChargeOutcome, OrderingUnitOfWork, PaymentGateway
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderStatus
from domain.ordering.payments import PaymentAttempt, PaymentStatus

IN_FLIGHT_GRACE = timedelta(minutes=2)
"""A payment sent to the gateway less than this ago is still in flight: its checkout waits."""


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
    late_charges_refunded: int = 0


@use_case
class ExpireCheckouts:
    """Expire every unpaid checkout whose deadline has passed.

    Rules: its pending orders become ``expired`` and their units go back to
    stock with a ledger row each, in one transaction per batch. Checkouts are
    taken ``FOR UPDATE SKIP LOCKED``: one being paid right now is left for the
    next run, and two runs never expire the same one. A checkout whose payment
    is in flight (an attempt sent less than two minutes ago) is left alone.
    Then every open attempt of an expired checkout (unknown after a timeout,
    or abandoned) is settled by asking the gateway what it did under the
    attempt's key: a charge it made is refunded at once (its units are gone),
    otherwise the attempt is closed. No confirmed charge is ever kept without
    an order. Idempotency keys past their keeping time are dropped. Platform
    staff (or the operator) only.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    ids: IdGenerator
    cache: CatalogCacheInvalidation
    gateway: PaymentGateway

    async def __call__(self, command: ExpireCheckoutsCommand) -> ExpiryReport:
        require_staff(command.actor)
        batch_size = max(1, min(command.batch_size, 1_000))
        checkouts = orders = units = 0
        while True:
            now = self.clock.now()
            async with self.unit_of_work() as uow:
                due = await uow.checkouts.due_for_expiry(now, in_flight_since=now - IN_FLIGHT_GRACE, limit=batch_size)
                expired: list[Order] = []
                for checkout in due:
                    checkout.expire(now)
                    await uow.checkouts.save(checkout)
                    for order in await uow.orders.of_checkout(checkout.id, for_update=True):
                        if order.status is OrderStatus.PENDING_PAYMENT:
                            order.expire(now)
                            await uow.orders.save(order)
                            expired.append(order)
                changes = await release(uow, expired, reason="checkout expired", actor_id=None, ids=self.ids, now=now)
                await uow.commit()
            orders += len(expired)
            units += sum(change.delta for change in changes)
            checkouts += len(due)
            await announce(self.cache, changes)
            if len(due) < batch_size:
                break
        refunded = await self._settle_abandoned_payments(batch_size)
        async with self.unit_of_work() as uow:
            forgotten = await uow.idempotency_keys.forget_before(self.clock.now())
            await uow.commit()
        return ExpiryReport(
            checkouts=checkouts,
            orders=orders,
            units_returned=units,
            idempotency_keys_forgotten=forgotten,
            late_charges_refunded=refunded,
        )

    async def _settle_abandoned_payments(self, limit: int) -> int:
        async with self.unit_of_work() as uow:
            attempts = await uow.payments.unsettled_of_expired_checkouts(limit=limit)
        refunded = 0
        for attempt in attempts:
            in_flight = (
                attempt.status is PaymentStatus.PENDING and attempt.updated_at > self.clock.now() - IN_FLIGHT_GRACE
            )
            if in_flight:
                continue
            late_charge = await self._settle(attempt)
            if late_charge is not None:
                await self.gateway.refund(
                    idempotency_key=void_key(late_charge),
                    charge_reference=late_charge.charge_reference or "",
                    amount=late_charge.amount,
                )
                refunded += 1
        return refunded

    async def _settle(self, attempt: PaymentAttempt) -> PaymentAttempt | None:
        """Close an abandoned attempt as the gateway says; the attempt, if it had been charged."""
        result = await self.gateway.look_up(idempotency_key=attempt.id)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            await uow.checkouts.get(attempt.checkout_id, for_update=True)  # serialise with a payment retry
            current = await uow.payments.get(attempt.id)
            if current is None or not current.is_open:
                return None
            charged = result is not None and result.outcome is ChargeOutcome.APPROVED
            if result is not None and charged:
                current.void(result.reference or "", now)
            elif result is not None:
                current.decline(result.reason or "declined", now)
            else:
                current.fail("abandoned: the gateway never charged it", now)
            await uow.payments.save(current)
            await uow.commit()
        return current if charged else None
