"""Use case (a job): delete rows past their use, in small batches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.identity.policies import require_staff
from application.ports import Clock
from application.ports.jobs import ExpiredRecords
from application.use_case import use_case
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class PurgeCommand:
    actor: Actor
    batch_size: int = 1_000


@dataclass(frozen=True, slots=True)
class PurgeReport:
    refresh_tokens: int
    revoked_access_tokens: int
    idempotency_keys: int
    activation_codes: int
    sent_notifications: int


@use_case
class PurgeExpired:
    """Delete what has expired, batch by batch (one short transaction each, so no table is held long).

    Rules: a refresh token goes once it has expired, spent or not: until then
    a spent token is what detects the reuse of a stolen one. A revoked access
    token's row goes once the token has expired (it can no longer be
    presented). An idempotency key goes after its keeping time, an activation
    code after its expiry. A sent notification is kept ``sent_retention``
    (staff read the outbox), then goes; an unsent one is never deleted.
    Platform staff (or the operator) only.
    """

    records: ExpiredRecords
    clock: Clock
    sent_retention: timedelta = timedelta(days=30)

    async def __call__(self, command: PurgeCommand) -> PurgeReport:
        require_staff(command.actor)
        limit = max(1, min(command.batch_size, 10_000))
        now = self.clock.now()
        records = self.records
        return PurgeReport(
            refresh_tokens=await _drain(records.refresh_tokens_expired_before, now, limit),
            revoked_access_tokens=await _drain(records.revoked_access_tokens_expired_before, now, limit),
            idempotency_keys=await _drain(records.idempotency_keys_kept_until_before, now, limit),
            activation_codes=await _drain(records.activation_codes_expired_before, now, limit),
            sent_notifications=await _drain(records.notifications_sent_before, now - self.sent_retention, limit),
        )


async def _drain(delete: Callable[..., Awaitable[int]], cutoff: datetime, limit: int) -> int:
    total = 0
    while True:
        deleted = await delete(cutoff, limit=limit)
        total += deleted
        if deleted < limit:
            return total
