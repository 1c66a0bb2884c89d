"""The outbox relay on real PostgreSQL: every message delivered, recorded once, never lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.postgres import SqlaUnitOfWork, create_session_factory
from adapters.postgres.jobs import SqlaNotificationQueue
from application.identity.policies import OPERATOR
from application.notifications.deliver_outbox import DeliverOutbox, DeliverOutboxCommand, RetryPolicy
from application.ports import Notification, NotificationSender
from domain.errors import NotAllowed
from domain.identity.roles import Actor, Role, UserId


class SteppedClock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


class EveryOtherCallFails(NotificationSender):
    """A channel that refuses its 1st, 3rd, 5th... call and delivers the others."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.delivered: Counter[str] = Counter()
        self._count = 0

    async def send(self, notification: Notification) -> None:
        self._count += 1
        self.calls[notification.recipient] += 1
        await asyncio.sleep(0)  # let a concurrent relay interleave
        if self._count % 2 == 1:
            raise ConnectionError("mail server said 451")
        self.delivered[notification.recipient] += 1


async def _queue_messages(engine, clock: SteppedClock, count: int) -> list[str]:
    recipients = [f"person{n:02d}@example.com" for n in range(count)]
    async with SqlaUnitOfWork(create_session_factory(engine), clock.now) as uow:
        for recipient in recipients:
            await uow.outbox.notify(Notification(recipient=recipient, kind="account_activation", payload={"code": "1"}))
        await uow.commit()
    return recipients


async def _rows(engine) -> dict[str, tuple]:
    async with engine.connect() as connection:
        result = await connection.execute(
            text("SELECT recipient, sent_at, attempts, next_attempt_at, last_error FROM notifications_outbox")
        )
        return {row.recipient: tuple(row)[1:] for row in result}


def _relay(engine, clock, sender) -> DeliverOutbox:
    return DeliverOutbox(
        queue=SqlaNotificationQueue(engine),
        sender=sender,
        clock=clock,
        lease=timedelta(minutes=5),
        retry=RetryPolicy(first=timedelta(seconds=10), longest=timedelta(minutes=1)),
    )


async def test_with_a_channel_failing_every_other_call_each_message_is_delivered_and_recorded_once(engine):
    clock = SteppedClock()
    recipients = await _queue_messages(engine, clock, 25)
    sender = EveryOtherCallFails()
    # Two relays side by side on one queue, small batches, until nothing is left (time moves past each backoff).
    relays = [_relay(engine, clock, sender), _relay(engine, clock, sender)]
    command = DeliverOutboxCommand(actor=OPERATOR, batch_size=4)
    for _ in range(20):
        await asyncio.gather(*(relay(command) for relay in relays))
        rows = await _rows(engine)
        if all(sent_at is not None for sent_at, *_ in rows.values()):
            break
        clock.current += timedelta(minutes=2)
    rows = await _rows(engine)

    assert sorted(rows) == recipients  # none lost
    assert all(sender.delivered[recipient] == 1 for recipient in recipients)  # each delivered once
    for recipient, (sent_at, attempts, next_attempt_at, last_error) in rows.items():
        assert sent_at is not None
        assert attempts == sender.calls[recipient]  # every attempt counted, a failure's too
        assert next_attempt_at is None
        assert last_error is None
    assert any(attempts > 1 for _, attempts, _, _ in rows.values())


async def test_a_failure_is_recorded_and_waits_its_backoff_before_the_next_try(engine):
    clock = SteppedClock()
    [recipient] = await _queue_messages(engine, clock, 1)
    sender = EveryOtherCallFails()
    relay = _relay(engine, clock, sender)
    command = DeliverOutboxCommand(actor=OPERATOR)

    first = await relay(command)
    assert (first.sent, first.failed) == (0, 1)
    sent_at, attempts, next_attempt_at, last_error = (await _rows(engine))[recipient]
    assert (sent_at, attempts) == (None, 1)
    assert next_attempt_at == clock.current + timedelta(seconds=10)
    assert last_error == "ConnectionError: mail server said 451"

    clock.current += timedelta(seconds=9)
    assert (await relay(command)).batches == 0  # not due yet
    clock.current += timedelta(seconds=1)
    second = await relay(command)
    assert (second.sent, second.failed) == (1, 0)
    sent_at, attempts, _, last_error = (await _rows(engine))[recipient]
    assert (sent_at, attempts, last_error) == (clock.current, 2, None)
    assert (await relay(command)).batches == 0  # sent once, never again


async def test_a_message_claimed_by_a_relay_that_died_is_taken_again_after_its_lease(engine):
    clock = SteppedClock()
    [recipient] = await _queue_messages(engine, clock, 1)
    queue = SqlaNotificationQueue(engine)
    claimed = await queue.claim(now=clock.now(), lease_until=clock.now() + timedelta(minutes=5), limit=10)
    assert [message.notification.recipient for message in claimed] == [recipient]
    # ... and the relay that claimed it is gone without a word.
    assert await queue.claim(now=clock.now(), lease_until=clock.now() + timedelta(minutes=5), limit=10) == []
    clock.current += timedelta(minutes=5)
    [again] = await queue.claim(now=clock.now(), lease_until=clock.now() + timedelta(minutes=5), limit=10)
    assert again.attempt == 2
    assert await queue.mark_sent(again.id, at=clock.now()) is True
    assert await queue.mark_sent(again.id, at=clock.now() + timedelta(seconds=1)) is False  # sent_at is set once
    assert (await _rows(engine))[recipient][0] == clock.now()


async def test_only_staff_run_the_relay(engine):
    customer = Actor(user_id=UserId(OPERATOR.user_id), role=Role.CUSTOMER)
    with pytest.raises(NotAllowed):
        await _relay(engine, SteppedClock(), EveryOtherCallFails())(DeliverOutboxCommand(actor=customer))
