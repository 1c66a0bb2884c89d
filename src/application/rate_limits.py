"""Refusing a request once its subject has used up a rate limit: one rule for HTTP, the CLI and use cases."""

from __future__ import annotations

from application.ports import RateLimit, RateLimiter
from application.use_case import use_case
from domain.errors import TooManyAttempts


async def enforce(limiter: RateLimiter, rule: RateLimit, subject: str, *, cost: int = 1) -> None:
    """Count the attempt; raise ``TooManyAttempts`` (429 with ``Retry-After``) when it is over the limit."""
    decision = await limiter.hit(rule, subject, cost=cost)
    if not decision.allowed:
        raise TooManyAttempts(
            f"too many requests ({rule.name.replace('_', ' ')}); try again later",
            retry_after_seconds=decision.reset_seconds,
            limit=decision.limit,
            window_seconds=rule.window_seconds,
        )


async def refuse_if_used_up(limiter: RateLimiter, rule: RateLimit, subject: str) -> None:
    """Refuse without counting: for limits that count only failures (counted with ``enforce`` afterwards)."""
    decision = await limiter.hit(rule, subject, cost=0)
    if decision.remaining == 0:
        raise TooManyAttempts(
            f"too many failed attempts ({rule.name.replace('_', ' ')}); try again later",
            retry_after_seconds=decision.reset_seconds,
            limit=decision.limit,
            window_seconds=rule.window_seconds,
        )


@use_case
class EnforceRateLimit:
    """The entrypoints' gate: count one request of ``subject`` against ``rule``, refuse it when over."""

    limiter: RateLimiter

    async def __call__(self, rule: RateLimit, subject: str) -> None:
        await enforce(self.limiter, rule, subject)
