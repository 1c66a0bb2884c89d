"""Fixed-window rate limits in Redis (one Lua call per hit), with an in-process fallback while Redis is away."""

from __future__ import annotations

import hashlib
import logging
import time

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import RateDecision, RateLimit, RateLimiter

logger = logging.getLogger(__name__)

# INCRBY, then open the window if the key has none: atomic, and one round trip per hit.
_HIT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}
"""


def rate_limit_key(rule_name: str, subject: str) -> str:
    """Subjects (emails, addresses) are digested: no personal data in key names, and a bounded key length."""
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"rl:v1:{rule_name}:{digest}"


class InMemoryRateLimiter(RateLimiter):
    """The same fixed windows in this process only: the degraded mode while Redis is unreachable."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}

    async def hit(self, rule: RateLimit, subject: str, *, cost: int = 1) -> RateDecision:
        now = time.monotonic()
        key = rate_limit_key(rule.name, subject)
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + rule.window_seconds
        count += cost
        self._windows[key] = (count, ends)
        if len(self._windows) > 100_000:  # bounded memory under a spray of subjects
            self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        return RateDecision.of(rule, count, ends - now)

    async def clear(self, rule: RateLimit, subject: str) -> None:
        self._windows.pop(rate_limit_key(rule.name, subject), None)


class RedisRateLimiter(RateLimiter):
    """Counters shared by every worker and instance; falls back to this process when the circuit is open."""

    def __init__(self, client: Redis, circuit: RedisCircuit | None = None) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._script = client.register_script(_HIT)
        self._fallback = InMemoryRateLimiter()

    async def hit(self, rule: RateLimit, subject: str, *, cost: int = 1) -> RateDecision:
        key = rate_limit_key(rule.name, subject)

        async def count() -> list[int]:
            return list(await self._script(keys=[key], args=[cost, rule.window_seconds * 1000]))

        try:
            answer = await self._circuit.run(count)
        except RedisUnavailable as error:
            logger.warning("rate limits fall back to this process: redis %s", error.__class__.__name__)
            return await self._fallback.hit(rule, subject, cost=cost)
        return RateDecision.of(rule, int(answer[0]), int(answer[1]) / 1000)

    async def clear(self, rule: RateLimit, subject: str) -> None:
        key = rate_limit_key(rule.name, subject)
        try:
            await self._circuit.run(lambda: self._client.delete(key))
        except RedisUnavailable as error:
            logger.warning("rate limits fall back to this process: redis %s", error.__class__.__name__)
        await self._fallback.clear(rule, subject)
