"""A check that an outside service the application needs is reachable."""

from __future__ import annotations

from typing import Protocol


class DependencyProbe(Protocol):
    """Answers whether one backing service (PostgreSQL, Redis) answers right now."""

    @property
    def name(self) -> str: ...

    async def is_reachable(self) -> bool:
        """True when the service answered; never raises."""
        ...
