"""The jobs' rules that need no database: backoff, the relay's lease window, settings, SMTP URLs, the purge."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from adapters.smtp import SmtpServer
from adapters.smtp.sender import compose
from application.housekeeping.purge_expired import PurgeCommand, PurgeExpired
from application.identity.policies import OPERATOR
from application.notifications.deliver_outbox import DeliverOutbox, DeliverOutboxCommand, RetryPolicy
from application.ordering.sales_report import SalesReport, SalesReportQuery
from application.ports import Notification, NotificationSender
from application.ports.jobs import ExpiredRecords, NotificationQueue, PendingNotification, SalesDay, SalesReader
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue, NotAllowed
from domain.identity.roles import Actor, Role, UserId
from entrypoints.settings import SettingsError, load_settings

CUSTOMER = Actor(user_id=UserId(uuid4()), role=Role.CUSTOMER)
NOON = datetime(2026, 11, 26, 12, tzinfo=UTC)


def load(**variables: str):
    return load_settings({f"COMMERCE_{key}": value for key, value in variables.items()}, dotenv=None)


def test_backoff_doubles_from_the_first_delay_and_stops_at_the_longest():
    policy = RetryPolicy(first=timedelta(seconds=30), longest=timedelta(minutes=5))
    assert [policy.delay(attempt).total_seconds() for attempt in range(1, 7)] == [30, 60, 120, 240, 300, 300]
    assert policy.delay(10_000) == timedelta(minutes=5)


class TickingClock:
    """Each reading is ``step`` later than the one before."""

    def __init__(self, step: timedelta) -> None:
        self.current, self.step = NOON, step

    def now(self) -> datetime:
        self.current += self.step
        return self.current


class InMemoryQueue(NotificationQueue):
    def __init__(self, count: int) -> None:
        self.waiting = [
            PendingNotification(id=uuid4(), notification=Notification(recipient=f"r{n}@x.co", kind="k"), attempt=1)
            for n in range(count)
        ]
        self.sent: list[UUID] = []

    async def claim(self, *, now: datetime, lease_until: datetime, limit: int) -> list[PendingNotification]:
        claimed, self.waiting = self.waiting[:limit], self.waiting[limit:]
        return claimed

    async def mark_sent(self, message_id: UUID, *, at: datetime) -> bool:
        self.sent.append(message_id)
        return True

    async def mark_failed(self, message_id: UUID, *, error: str, retry_at: datetime) -> None:
        raise AssertionError("nothing fails here")


class Accepting(NotificationSender):
    async def send(self, notification: Notification) -> None:
        return None


async def test_the_relay_starts_no_message_in_the_last_tenth_of_its_lease():
    queue = InMemoryQueue(20)
    relay = DeliverOutbox(
        queue=queue,
        sender=Accepting(),
        clock=TickingClock(timedelta(seconds=10)),
        lease=timedelta(seconds=100),
        parallel=1,
    )
    report = await relay(DeliverOutboxCommand(actor=OPERATOR, batch_size=20, max_batches=1))
    # Claimed at t+10 (lease to t+110); each send reads the clock twice (check, record): t+20, t+40, ... t+100 stops.
    assert report.sent == len(queue.sent) == 4


class SlowChannel(NotificationSender):
    def __init__(self) -> None:
        self.in_flight = self.most_in_flight = 0

    async def send(self, notification: Notification) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1


async def test_the_relay_keeps_at_most_parallel_sends_in_flight():
    queue, channel = InMemoryQueue(30), SlowChannel()
    relay = DeliverOutbox(queue=queue, sender=channel, clock=TickingClock(timedelta(0)), parallel=4)
    report = await relay(DeliverOutboxCommand(actor=OPERATOR, batch_size=10))
    assert (report.sent, report.batches) == (30, 3)
    assert channel.most_in_flight == 4


class BrokenQueue(InMemoryQueue):
    async def mark_sent(self, message_id: UUID, *, at: datetime) -> bool:
        raise ConnectionError("the database went away")


async def test_when_the_queue_itself_fails_the_relay_stops_with_that_error():
    relay = DeliverOutbox(queue=BrokenQueue(5), sender=Accepting(), clock=TickingClock(timedelta(0)))
    with pytest.raises(ConnectionError, match="the database went away"):
        await relay(DeliverOutboxCommand(actor=OPERATOR))


async def test_jobs_and_reports_are_for_staff_only():
    with pytest.raises(NotAllowed):
        await DeliverOutbox(queue=InMemoryQueue(1), sender=Accepting(), clock=TickingClock(timedelta(0)))(
            DeliverOutboxCommand(actor=CUSTOMER)
        )
    with pytest.raises(NotAllowed):
        await PurgeExpired(records=CountingRecords({}), clock=TickingClock(timedelta(0)))(PurgeCommand(actor=CUSTOMER))
    with pytest.raises(NotAllowed):
        await SalesReport(reader=NoSales())(
            SalesReportQuery(
                actor=CUSTOMER, merchant_id=MerchantId(uuid4()), first=date(2026, 1, 1), last=date(2026, 1, 1)
            )
        )


class CountingRecords(ExpiredRecords):
    """Pretends each kind has ``left[kind]`` expired rows; records every cutoff it was asked for."""

    def __init__(self, left: dict[str, int]) -> None:
        self.left = left
        self.cutoffs: dict[str, datetime] = {}

    def _take(self, kind: str, cutoff: datetime, limit: int) -> int:
        self.cutoffs[kind] = cutoff
        taken = min(self.left.get(kind, 0), limit)
        self.left[kind] = self.left.get(kind, 0) - taken
        return taken

    async def refresh_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return self._take("refresh", cutoff, limit)

    async def revoked_access_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return self._take("revoked", cutoff, limit)

    async def idempotency_keys_kept_until_before(self, cutoff: datetime, *, limit: int) -> int:
        return self._take("keys", cutoff, limit)

    async def activation_codes_expired_before(self, cutoff: datetime, *, limit: int) -> int:
        return self._take("codes", cutoff, limit)

    async def notifications_sent_before(self, cutoff: datetime, *, limit: int) -> int:
        return self._take("sent", cutoff, limit)


async def test_the_purge_drains_each_kind_in_batches_and_keeps_sent_mail_for_its_retention():
    records = CountingRecords({"refresh": 7, "revoked": 3, "keys": 0, "codes": 1, "sent": 5})
    clock = TickingClock(timedelta(0))
    purge = PurgeExpired(records=records, clock=clock, sent_retention=timedelta(days=30))
    report = await purge(PurgeCommand(actor=OPERATOR, batch_size=3))
    assert (report.refresh_tokens, report.revoked_access_tokens, report.idempotency_keys) == (7, 3, 0)
    assert (report.activation_codes, report.sent_notifications) == (1, 5)
    assert all(left == 0 for left in records.left.values())
    assert records.cutoffs["refresh"] == clock.current
    assert records.cutoffs["sent"] == clock.current - timedelta(days=30)


class NoSales(SalesReader):
    async def sales_by_day(self, merchant_id: MerchantId, *, first: date, last: date) -> list[SalesDay]:
        return []


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 2, 2), date(2026, 2, 1), "the last day is before the first"),
        (date(2025, 1, 1), date(2026, 1, 2), "a report covers at most 366 days"),
    ],
)
async def test_a_sales_report_needs_a_period_in_order_and_at_most_a_year(first, last, message):
    with pytest.raises(InvalidValue, match=message) as refused:
        await SalesReport(reader=NoSales())(
            SalesReportQuery(actor=OPERATOR, merchant_id=MerchantId(uuid4()), first=first, last=last)
        )
    assert refused.value.field == "to"


def test_smtp_urls_give_host_port_credentials_and_tls():
    plain = SmtpServer.from_url("smtp://mail.internal")
    assert (plain.host, plain.port, plain.username, plain.start_tls, plain.use_tls) == (
        "mail.internal",
        25,
        None,
        False,
        False,
    )
    submission = SmtpServer.from_url("smtp://app%40x.co:p%2Fw@mail.x.co:587?starttls=true")
    assert (submission.port, submission.username, submission.password, submission.start_tls) == (
        587,
        "app@x.co",
        "p/w",
        True,
    )
    implicit = SmtpServer.from_url("smtps://mail.x.co")
    assert (implicit.port, implicit.use_tls, implicit.start_tls) == (465, True, False)
    with pytest.raises(ValueError, match="expected smtp"):
        SmtpServer.from_url("http://mail.x.co")


def test_a_notification_mail_has_the_kind_as_subject_and_one_line_per_field():
    mail = compose(Notification(recipient="ana@x.co", kind="account_activation", payload={"code": "123456"}), "s@x.co")
    assert (mail["To"], mail["From"], mail["Subject"]) == ("ana@x.co", "s@x.co", "Account activation")
    assert mail.get_content() == "code: 123456\n"


def test_job_settings_default_to_the_documented_schedule():
    settings = load()
    assert settings.smtp_url is None
    assert (settings.worker_expiry_cron, settings.worker_relay_cron, settings.worker_purge_cron) == (
        "* * * * *",
        "* * * * * */5",
        "7 * * * *",
    )
    assert (settings.outbox_retry_first_seconds, settings.outbox_retry_longest_seconds) == (30, 3600)


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"SMTP_URL": "mail.x.co:25"}, "COMMERCE_SMTP_URL"),
        ({"SMTP_URL": "smtp://mail.x.co:99999"}, "COMMERCE_SMTP_URL"),
        ({"WORKER_EXPIRY_CRON": "every minute"}, "COMMERCE_WORKER_EXPIRY_CRON"),
        ({"WORKER_PURGE_CRON": "61 * * * *"}, "COMMERCE_WORKER_PURGE_CRON"),
        ({"OUTBOX_LEASE_SECONDS": "0"}, "COMMERCE_OUTBOX_LEASE_SECONDS"),
        ({"WORKER_SWEEP_SECONDS": "soon"}, "COMMERCE_WORKER_SWEEP_SECONDS"),
    ],
)
def test_a_bad_job_setting_fails_fast_naming_the_variable(variables, named):
    with pytest.raises(SettingsError) as refused:
        load(**variables)
    assert refused.value.variable == named
