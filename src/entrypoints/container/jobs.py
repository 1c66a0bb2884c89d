"""The batch jobs: outbox delivery, the purge, sales reports (the CLI and the worker call these)."""

from __future__ import annotations

from datetime import timedelta

from adapters.console import LogNotificationSender
from adapters.postgres.jobs import SqlaExpiredRecords, SqlaNotificationQueue, SqlaSalesReader
from adapters.smtp import SmtpNotificationSender, SmtpServer
from application.housekeeping.purge_expired import PurgeExpired
from application.notifications.deliver_outbox import DeliverOutbox, RetryPolicy
from application.ordering.sales_report import SalesReport
from application.ports import NotificationSender
from entrypoints.container.adapters import Adapters
from entrypoints.settings import Settings


def notification_channel(settings: Settings) -> NotificationSender:
    """Mail when ``COMMERCE_SMTP_URL`` is set; otherwise a log line that names no secret."""
    if settings.smtp_url is not None:
        return SmtpNotificationSender(SmtpServer.from_url(settings.smtp_url), sender=settings.smtp_from)
    return LogNotificationSender()


class JobsProvider:
    """Use cases run outside HTTP, by an operator (``commerce jobs ...``, ``commerce reports ...``) or the worker."""

    def __init__(self, adapters: Adapters) -> None:
        settings = adapters.settings
        self.notification_channel = notification_channel(settings)
        self.deliver_outbox = DeliverOutbox(
            queue=SqlaNotificationQueue(adapters.engine),
            sender=self.notification_channel,
            clock=adapters.clock,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            retry=RetryPolicy(
                first=timedelta(seconds=settings.outbox_retry_first_seconds),
                longest=timedelta(seconds=settings.outbox_retry_longest_seconds),
            ),
        )
        self.purge_expired = PurgeExpired(
            records=SqlaExpiredRecords(adapters.engine),
            clock=adapters.clock,
            sent_retention=timedelta(days=settings.outbox_retention_days),
        )
        self.sales_report = SalesReport(reader=SqlaSalesReader(adapters.engine, currency=settings.currency))
