"""Use case: how the desk is doing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.identity.policies import require_staff
from application.ports import Clock
from application.ports.support import SupportStats, SupportUnitOfWork
from application.use_case import use_case
from domain.errors import InvalidValue
from domain.identity.roles import Actor

DEFAULT_PERIOD = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class SupportStatsQuery:
    actor: Actor
    opened_from: datetime | None = None
    opened_to: datetime | None = None


@use_case
class GetSupportStats:
    """Counts by status and category, and median first-response and resolution times.

    Rules: platform staff only. The period covers tickets opened in
    ``[from, to)``; ``to`` defaults to now and ``from`` to 30 days before
    ``to``. ``from`` must come before ``to`` (422). A median leaves out the
    tickets not yet answered (or resolved).
    """

    unit_of_work: Callable[[], SupportUnitOfWork]
    clock: Clock

    async def __call__(self, query: SupportStatsQuery) -> SupportStats:
        require_staff(query.actor)
        opened_to = query.opened_to or self.clock.now()
        opened_from = query.opened_from or opened_to - DEFAULT_PERIOD
        for name, moment in (("from", opened_from), ("to", opened_to)):
            if moment.tzinfo is None:
                raise InvalidValue("times need a UTC offset", field=name, rule="aware_datetime")
        if opened_from >= opened_to:
            raise InvalidValue("'from' must come before 'to'", field="from", rule="period_order")
        async with self.unit_of_work() as uow:
            return await uow.support_stats.stats(opened_from=opened_from, opened_to=opened_to)
