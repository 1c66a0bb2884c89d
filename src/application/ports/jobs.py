"""Ports of the batch jobs: delivering the outbox, purging what has expired, reading sales for reports.

Each method of these ports is one transaction of its own: a job works in
batches, and a batch that is done stays done whatever happens to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.ports.identity import Notification
from domain.catalog.merchants import MerchantId


@dataclass(frozen=True, slots=True)
class PendingNotification:
    """An outbox message claimed for delivery; ``attempt`` counts this one (1 for the first)."""

    id: UUID
    notification: Notification
    attempt: int


class NotificationQueue(Protocol):
    """The committed, unsent outbox messages, as the relay sees them.

    ``claim`` takes due messages with ``FOR UPDATE SKIP LOCKED``, counts the
    attempt and leases them until ``lease_until`` (another relay skips them
    until then; after it, a relay that died is simply replaced).
    """

    async def claim(self, *, now: datetime, lease_until: datetime, limit: int) -> list[PendingNotification]: ...

    async def mark_sent(self, message_id: UUID, *, at: datetime) -> bool:
        """Record the delivery; False when it was already recorded (``sent_at`` is set once)."""
        ...

    async def mark_failed(self, message_id: UUID, *, error: str, retry_at: datetime) -> None: ...


class ExpiredRecords(Protocol):
    """Rows nobody needs any more. Each call deletes at most ``limit`` rows and returns how many it deleted."""

    async def refresh_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int: ...

    async def revoked_access_tokens_expired_before(self, cutoff: datetime, *, limit: int) -> int: ...

    async def idempotency_keys_kept_until_before(self, cutoff: datetime, *, limit: int) -> int: ...

    async def activation_codes_expired_before(self, cutoff: datetime, *, limit: int) -> int: ...

    async def notifications_sent_before(self, cutoff: datetime, *, limit: int) -> int: ...


@dataclass(frozen=True, slots=True)
class SalesDay:
    """One day (UTC) of one store's sales in one currency; money in minor units."""

    day: date
    currency: str
    orders: int
    units: int
    gross_minor: int
    tax_minor: int
    refunds_minor: int


class SalesReader(Protocol):
    """The read side of sales: aggregated in the database, one query per report."""

    async def sales_by_day(self, merchant_id: MerchantId, *, first: date, last: date) -> list[SalesDay]:
        """Every day from ``first`` to ``last`` (inclusive) in order, days without sales as zeros."""
        ...
