"""Failed-login counters in Redis, with an in-process fallback while Redis is away."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import LoginThrottle

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    per_username: int = 5
    username_window_seconds: int = 15 * 60
    per_address: int = 50
    address_window_seconds: int = 60


def _as_int(value: object) -> int:
    if isinstance(value, bytes | str | int):
        return int(value)
    raise TypeError(f"unexpected reply from Redis: {value!r}")


def username_key(username: str) -> str:
    return f"auth:v1:fail:user:{username}"


def address_key(address: str) -> str:
    return f"auth:v1:fail:ip:{address}"


class InMemoryLoginThrottle(LoginThrottle):
    """Fixed-window counters in this process only: the degraded mode while Redis is unreachable."""

    def __init__(self, limits: ThrottleLimits) -> None:
        self._limits = limits
        self._windows: dict[str, tuple[int, float]] = {}

    def _count(self, key: str) -> tuple[int, float]:
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= time.monotonic():
            return 0, 0.0
        return count, ends

    async def retry_after(self, username_key_value: str, client_address: str) -> int | None:
        for key, limit in self._checks(username_key_value, client_address):
            count, ends = self._count(key)
            if count >= limit:
                return max(1, math.ceil(ends - time.monotonic()))
        return None

    async def record_failure(self, username_key_value: str, client_address: str) -> None:
        now = time.monotonic()
        for key, window in (
            (username_key(username_key_value), self._limits.username_window_seconds),
            (address_key(client_address), self._limits.address_window_seconds),
        ):
            count, ends = self._count(key)
            self._windows[key] = (count + 1, ends if ends > now else now + window)
        if len(self._windows) > 100_000:  # bounded memory under a spray of usernames
            self._windows = {key: value for key, value in self._windows.items() if value[1] > now}

    async def reset(self, username_key_value: str) -> None:
        self._windows.pop(username_key(username_key_value), None)

    def _checks(self, username: str, address: str) -> tuple[tuple[str, int], tuple[str, int]]:
        return (
            (username_key(username), self._limits.per_username),
            (address_key(address), self._limits.per_address),
        )


class RedisLoginThrottle(LoginThrottle):
    """Fixed windows: the first failure starts a window of the limit's length; reaching the limit
    blocks until the window ends. Shared by every worker and instance through Redis."""

    def __init__(
        self, client: Redis, limits: ThrottleLimits | None = None, circuit: RedisCircuit | None = None
    ) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._limits = limits or ThrottleLimits()
        self._fallback = InMemoryLoginThrottle(self._limits)

    async def retry_after(self, username_key_value: str, client_address: str) -> int | None:
        keys = (username_key(username_key_value), address_key(client_address))
        limits = (self._limits.per_username, self._limits.per_address)

        async def read_counts() -> list[object]:
            async with self._client.pipeline(transaction=False) as pipeline:
                for key in keys:
                    pipeline.get(key)
                    pipeline.ttl(key)
                return list(await pipeline.execute())

        try:
            answers = await self._circuit.run(read_counts)
        except RedisUnavailable as error:
            self._degraded(error)
            return await self._fallback.retry_after(username_key_value, client_address)
        for index, limit in enumerate(limits):
            count, ttl = answers[2 * index], answers[2 * index + 1]
            if count is not None and _as_int(count) >= limit:
                return max(1, _as_int(ttl))
        return None

    async def record_failure(self, username_key_value: str, client_address: str) -> None:

        async def count_failure() -> None:
            async with self._client.pipeline(transaction=True) as pipeline:
                for key, window in (
                    (username_key(username_key_value), self._limits.username_window_seconds),
                    (address_key(client_address), self._limits.address_window_seconds),
                ):
                    pipeline.set(key, 0, ex=window, nx=True)  # opens the window on the first failure
                    pipeline.incr(key)
                await pipeline.execute()

        try:
            await self._circuit.run(count_failure)
        except RedisUnavailable as error:
            self._degraded(error)
            await self._fallback.record_failure(username_key_value, client_address)

    async def reset(self, username_key_value: str) -> None:
        try:
            await self._circuit.run(lambda: self._client.delete(username_key(username_key_value)))
        except RedisUnavailable as error:
            self._degraded(error)
        await self._fallback.reset(username_key_value)

    def _degraded(self, error: BaseException) -> None:
        logger.warning("login throttle falls back to this process: redis %s", error.__class__.__name__)
