"""What the readiness probes of PostgreSQL and Redis share: one round trip, and its failures as "unreachable"."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from application.ports import DependencyProbe

logger = logging.getLogger(__name__)


class RoundTripProbe(DependencyProbe):
    """Reachable when ``round_trip`` returns; one of ``failures`` means unreachable and is logged by class only."""

    def __init__(
        self, name: str, round_trip: Callable[[], Awaitable[object]], *, failures: tuple[type[Exception], ...]
    ) -> None:
        self._name = name
        self._round_trip = round_trip
        self._failures = failures

    @property
    def name(self) -> str:
        return self._name

    async def is_reachable(self) -> bool:
        try:
            await self._round_trip()
        except self._failures as error:
            logger.warning("%s is not reachable: %s", self._name, error.__class__.__name__)
            return False
        return True
