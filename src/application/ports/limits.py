"""Rate limits: how many times a subject (a client address, an account, an email) may do something per window."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``limit`` events per ``window_seconds`` (a fixed window that opens with the first event)."""

    name: str
    limit: int
    window_seconds: int

    def scaled(self, factor: int) -> RateLimit:
        return RateLimit(self.name, self.limit * factor, self.window_seconds)


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    @classmethod
    def of(cls, rule: RateLimit, count: int, reset_seconds: float) -> RateDecision:
        return cls(
            allowed=count <= rule.limit,
            limit=rule.limit,
            remaining=max(0, rule.limit - count),
            reset_seconds=max(1, math.ceil(reset_seconds)),
        )


class RateLimiter(Protocol):
    """Counters shared by every process (Redis), with a per-process fallback while they are unreachable.

    Never raises for an infrastructure failure: a limiter that cannot count
    must not take the API down with it.
    """

    async def hit(self, rule: RateLimit, subject: str, *, cost: int = 1) -> RateDecision:
        """Count ``cost`` events (0 only reads) for ``subject`` under ``rule``, in one round trip."""
        ...

    async def clear(self, rule: RateLimit, subject: str) -> None:
        """Forget the subject's count (a success that ends a run of failures)."""
        ...
