"""Use case: is the service ready to take traffic?"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from application.ports import DependencyProbe


@dataclass(frozen=True, slots=True)
class Readiness:
    reachable: tuple[str, ...]
    unreachable: tuple[str, ...]
    # The services the API works without (more slowly): their absence degrades, it does not stop.
    optional: frozenset[str] = frozenset()

    @property
    def is_ready(self) -> bool:
        """Every service the API cannot work without answered."""
        return all(name in self.optional for name in self.unreachable)

    @property
    def is_degraded(self) -> bool:
        """Ready, but an optional service is away: answers come more slowly, from the fallbacks."""
        return self.is_ready and bool(self.unreachable)


class CheckReadiness:
    """Ready means every required backing service answered within the timeout.

    An *optional* one (Redis: every use of it has a fallback) that does not
    answer makes the service degraded, not unready: taking every instance out
    of rotation because the cache is down would turn a slowdown into an outage.
    Probes run concurrently so one slow dependency does not hide another; a
    probe that does not answer in time counts as unreachable.
    """

    def __init__(
        self,
        probes: Sequence[DependencyProbe],
        timeout_seconds: float = 2.0,
        *,
        optional: Sequence[DependencyProbe] = (),
    ) -> None:
        self._probes = (*probes, *optional)
        self._optional = frozenset(probe.name for probe in optional)
        self._timeout = timeout_seconds

    async def __call__(self) -> Readiness:
        results = await asyncio.gather(*(self._probe(probe) for probe in self._probes))
        reachable = tuple(probe.name for probe, ok in zip(self._probes, results, strict=True) if ok)
        unreachable = tuple(probe.name for probe, ok in zip(self._probes, results, strict=True) if not ok)
        return Readiness(reachable=reachable, unreachable=unreachable, optional=self._optional)

    async def _probe(self, probe: DependencyProbe) -> bool:
        try:
            return await asyncio.wait_for(probe.is_reachable(), timeout=self._timeout)
        except TimeoutError:
            return False
