"""Failed-login counters in Redis (ADR 0014), with an in-process fallback while Redis is away."""

from __future__ import annotations

import logging
import math
import time

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import LoginThrottle
from domain.identity.lockout import LockoutPolicy

logger = logging.getLogger(__name__)

# Count the failure for the pair and the account, each in a window opened by its first failure.
_RECORD = """
local pair = redis.call('INCR', KEYS[1])
if pair == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local account = redis.call('INCR', KEYS[2])
if account == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return pair
"""


def _as_int(value: object) -> int:
    if isinstance(value, bytes | str | int):
        return int(value)
    raise TypeError(f"unexpected reply from Redis: {value!r}")


def pair_key(account_key: str, source: str) -> str:
    return f"auth:v2:fail:pair:{account_key}:{source}"


def pair_block_key(account_key: str, source: str) -> str:
    return f"auth:v2:wait:pair:{account_key}:{source}"


def account_key_of(account_key: str) -> str:
    return f"auth:v2:fail:account:{account_key}"


class InMemoryLoginThrottle(LoginThrottle):
    """The same policy in this process only: the degraded mode while Redis is unreachable."""

    def __init__(self, policy: LockoutPolicy) -> None:
        self._policy = policy
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window end)
        self._waits: dict[str, float] = {}  # pair -> end of its wait

    def _count(self, key: str) -> tuple[int, float]:
        count, ends = self._counts.get(key, (0, 0.0))
        return (0, 0.0) if ends <= time.monotonic() else (count, ends)

    async def retry_after(self, account_key: str, source: str, *, known_session: bool) -> int | None:
        now = time.monotonic()
        wait = self._waits.get(pair_key(account_key, source), 0.0)
        if wait > now:
            return max(1, math.ceil(wait - now))
        count, ends = self._count(account_key_of(account_key))
        if not known_session and self._policy.account_closed(count):
            return max(1, math.ceil(ends - now))
        return None

    async def record_failure(self, account_key: str, source: str) -> None:
        now = time.monotonic()
        pair = pair_key(account_key, source)
        for key, window in (
            (pair, self._policy.pair_window_seconds),
            (account_key_of(account_key), self._policy.account_window_seconds),
        ):
            count, ends = self._count(key)
            self._counts[key] = (count + 1, ends if ends > now else now + window)
        delay = self._policy.pair_delay(self._counts[pair][0])
        if delay:
            self._waits[pair] = now + delay
        if len(self._counts) > 100_000:  # bounded memory under a spray of usernames
            self._counts = {key: value for key, value in self._counts.items() if value[1] > now}
            self._waits = {key: ends for key, ends in self._waits.items() if ends > now}

    async def reset(self, account_key: str, source: str) -> None:
        self._counts.pop(pair_key(account_key, source), None)
        self._waits.pop(pair_key(account_key, source), None)


class RedisLoginThrottle(LoginThrottle):
    """Shared by every worker and instance through Redis: one pipeline to check, one script to count."""

    def __init__(self, client: Redis, policy: LockoutPolicy | None = None, circuit: RedisCircuit | None = None) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._policy = policy or LockoutPolicy()
        self._record = client.register_script(_RECORD)
        self._fallback = InMemoryLoginThrottle(self._policy)

    async def retry_after(self, account_key: str, source: str, *, known_session: bool) -> int | None:
        async def read() -> list[object]:
            async with self._client.pipeline(transaction=False) as pipeline:
                pipeline.ttl(pair_block_key(account_key, source))
                pipeline.get(account_key_of(account_key))
                pipeline.ttl(account_key_of(account_key))
                return list(await pipeline.execute())

        try:
            wait, account_failures, account_ttl = await self._circuit.run(read)
        except RedisUnavailable as error:
            self._degraded(error)
            return await self._fallback.retry_after(account_key, source, known_session=known_session)
        if _as_int(wait) > 0:
            return _as_int(wait)
        failures = _as_int(account_failures) if account_failures is not None else 0
        if not known_session and self._policy.account_closed(failures):
            return max(1, _as_int(account_ttl))
        return None

    async def record_failure(self, account_key: str, source: str) -> None:
        policy = self._policy

        async def count() -> None:
            pair = _as_int(
                await self._record(
                    keys=[pair_key(account_key, source), account_key_of(account_key)],
                    args=[policy.pair_window_seconds, policy.account_window_seconds],
                )
            )
            delay = policy.pair_delay(pair)
            if delay:
                await self._client.set(pair_block_key(account_key, source), b"1", ex=delay)

        try:
            await self._circuit.run(count)
        except RedisUnavailable as error:
            self._degraded(error)
            await self._fallback.record_failure(account_key, source)

    async def reset(self, account_key: str, source: str) -> None:
        keys = (pair_key(account_key, source), pair_block_key(account_key, source))
        try:
            await self._circuit.run(lambda: self._client.delete(*keys))
        except RedisUnavailable as error:
            self._degraded(error)
        await self._fallback.reset(account_key, source)

    def _degraded(self, error: BaseException) -> None:
        logger.warning("login throttle falls back to this process: redis %s", error.__class__.__name__)
