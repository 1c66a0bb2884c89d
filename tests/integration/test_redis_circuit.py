"""The Redis circuit: one failure makes every adapter fall back at once, for a moment."""

import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.redis import RedisCircuit, RedisCredentialCache, RedisUnavailable, create_redis_client
from tests.unit.fakes import RecordingMetrics


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_after_a_failure_calls_are_refused_without_touching_redis_until_the_cooldown_ends():
    clock = Clock()
    circuit = RedisCircuit(cooldown_seconds=5, monotonic=clock)
    calls = 0

    async def failing():
        nonlocal calls
        calls += 1
        raise RedisConnectionError("down")

    async def answering():
        nonlocal calls
        calls += 1
        return "PONG"

    with pytest.raises(RedisUnavailable):
        await circuit.run(failing)
    assert circuit.is_open
    with pytest.raises(RedisUnavailable):
        await circuit.run(answering)
    assert calls == 1  # the second call never reached Redis
    clock.now += 5
    assert await circuit.run(answering) == "PONG"
    assert not circuit.is_open


async def test_a_dead_redis_costs_one_failed_call_not_one_per_call():
    client = create_redis_client("redis://127.0.0.1:1/0")
    metrics = RecordingMetrics()
    cache = RedisCredentialCache(client, ttl_seconds=60, metrics=metrics, circuit=RedisCircuit(cooldown_seconds=60))
    started = time.perf_counter()
    for _ in range(200):
        assert await cache.by_login("ana@example.com") is None
    elapsed = time.perf_counter() - started
    await client.aclose()
    assert metrics.unavailable == 200
    assert elapsed < 2.0, elapsed  # 200 real attempts would each wait on the socket
