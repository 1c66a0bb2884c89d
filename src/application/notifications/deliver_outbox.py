"""Use case (a job): deliver the committed outbox messages through the notification sender."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.identity.policies import require_staff
from application.ports import Clock, NotificationSender
from application.ports.jobs import NotificationQueue, PendingNotification
from application.use_case import use_case
from domain.identity.roles import Actor

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: ``first`` after the first failure, doubling each time, never more than ``longest``."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)

    def delay(self, attempt: int) -> timedelta:
        doublings = min(max(attempt - 1, 0), 32)
        return min(self.first * (1 << doublings), self.longest)


@dataclass(frozen=True, slots=True)
class DeliverOutboxCommand:
    actor: Actor
    batch_size: int = 50
    # None: until nothing is due; 1: one batch (``--once``).
    max_batches: int | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    batches: int = 0


@use_case
class DeliverOutbox:
    """Send every due outbox message once, recording each delivery and each failure.

    Rules: a batch of due messages (never sent, next attempt not in the
    future) is claimed with ``FOR UPDATE SKIP LOCKED`` and leased, so any
    number of relays run side by side without sending a message twice. Each
    message is sent, then marked sent in its own transaction (``sent_at`` is
    set once). A failure is recorded with its error and the message waits
    ``retry.delay(attempt)`` before the next try; it is never dropped. A relay
    that dies mid-batch loses nothing: its lease runs out and another relay
    takes the messages again. So delivery is at least once: a crash between
    the send and its record sends that one message again. A message whose
    lease is nearly over is not started; it goes back to the queue. Up to
    ``parallel`` messages of a batch are in flight at once. Platform staff
    (or the operator) only.
    """

    queue: NotificationQueue
    sender: NotificationSender
    clock: Clock
    lease: timedelta = timedelta(minutes=5)
    retry: RetryPolicy = RetryPolicy()
    # Sends in flight at once, per relay (a mail server's round trips dominate).
    parallel: int = 8

    async def __call__(self, command: DeliverOutboxCommand) -> DeliveryReport:
        require_staff(command.actor)
        batch_size = max(1, min(command.batch_size, 1_000))
        sent = failed = batches = 0
        while command.max_batches is None or batches < command.max_batches:
            now = self.clock.now()
            lease_until = now + self.lease
            claimed = await self.queue.claim(now=now, lease_until=lease_until, limit=batch_size)
            if not claimed:
                break
            batches += 1
            outcomes = await self._deliver_batch(claimed, lease_until)
            sent += outcomes.count(True)
            failed += outcomes.count(False)
            if len(claimed) < batch_size:
                break
        return DeliveryReport(sent=sent, failed=failed, batches=batches)

    async def _deliver_batch(self, claimed: list[PendingNotification], lease_until: datetime) -> list[bool | None]:
        """Up to ``parallel`` sends at a time; None for a message left to its lease (not started in time)."""
        gate = asyncio.Semaphore(self.parallel)
        last_start = lease_until - self.lease / 10

        async def one(message: PendingNotification) -> bool | None:
            async with gate:
                if self.clock.now() >= last_start:
                    return None  # re-claimed after its lease; starting now could race another relay
                return await self._deliver(message)

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(message)) for message in claimed]
        except ExceptionGroup as failures:  # the queue itself failed (database down): the rest wait for their lease
            raise failures.exceptions[0] from None
        return [task.result() for task in tasks]

    async def _deliver(self, message: PendingNotification) -> bool:
        try:
            await self.sender.send(message.notification)
        except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded and retried
            retry_at = self.clock.now() + self.retry.delay(message.attempt)
            reason = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
            await self.queue.mark_failed(message.id, error=reason, retry_at=retry_at)
            logger.warning(
                "notification %s failed (attempt %d), next try at %s: %s",
                message.id,
                message.attempt,
                retry_at.isoformat(),
                reason,
            )
            return False
        await self.queue.mark_sent(message.id, at=self.clock.now())
        return True
