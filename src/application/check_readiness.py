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

    @property
    def is_ready(self) -> bool:
        return not self.unreachable


class CheckReadiness:
    """Ready means every backing service answered within the timeout.

    Probes run concurrently so one slow dependency does not hide another; a
    probe that does not answer in time counts as unreachable.
    """

    def __init__(self, probes: Sequence[DependencyProbe], timeout_seconds: float = 2.0) -> None:
        self._probes = tuple(probes)
        self._timeout = timeout_seconds

    async def __call__(self) -> Readiness:
        results = await asyncio.gather(*(self._probe(probe) for probe in self._probes))
        reachable = tuple(probe.name for probe, ok in zip(self._probes, results, strict=True) if ok)
        unreachable = tuple(probe.name for probe, ok in zip(self._probes, results, strict=True) if not ok)
        return Readiness(reachable=reachable, unreachable=unreachable)

    async def _probe(self, probe: DependencyProbe) -> bool:
        try:
            return await asyncio.wait_for(probe.is_reachable(), timeout=self._timeout)
        except TimeoutError:
            return False
