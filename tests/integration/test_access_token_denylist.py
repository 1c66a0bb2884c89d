"""The Redis denylist says "not denied" only while it cannot be missing a revocation."""

import logging
from datetime import UTC, datetime, timedelta

from adapters.redis import create_redis_client
from adapters.redis.access_token_denylist import COMPLETE_SINCE_KEY, RedisAccessTokenDenylist
from adapters.redis.circuit import RedisCircuit

LIFETIME = 900
EXPIRES = datetime.now(UTC) + timedelta(minutes=15)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_redis_that_lost_its_data_answers_unknown_for_one_token_lifetime(redis):
    clock = Clock()
    denylist = RedisAccessTokenDenylist(redis, token_lifetime_seconds=LIFETIME, wall_clock=clock)
    assert await denylist.is_denied("jti-1") is None, "no marker: Redis may have lost revocations"
    assert float(await redis.get(COMPLETE_SINCE_KEY)) == clock.now
    clock.now += LIFETIME - 1
    assert await denylist.is_denied("jti-1") is None
    clock.now += 1
    assert await denylist.is_denied("jti-1") is False, "every token revoked before the loss has expired"
    await denylist.deny("jti-1", EXPIRES)
    assert await denylist.is_denied("jti-1") is True


async def test_other_processes_see_the_same_window(redis):
    clock = Clock()
    first = RedisAccessTokenDenylist(redis, token_lifetime_seconds=LIFETIME, wall_clock=clock)
    second = RedisAccessTokenDenylist(redis, token_lifetime_seconds=LIFETIME, wall_clock=clock)
    assert await first.is_denied("jti") is None
    clock.now += 10
    assert await second.is_denied("jti") is None, "the marker another process set still holds"


async def test_a_failure_seen_here_restarts_the_window_once_redis_answers(redis, redis_url):
    clock = Clock()
    await redis.set(COMPLETE_SINCE_KEY, b"0")
    circuit = RedisCircuit(cooldown_seconds=0)
    dead = RedisAccessTokenDenylist(
        create_redis_client("redis://127.0.0.1:1/0"), circuit, token_lifetime_seconds=LIFETIME, wall_clock=clock
    )
    await dead.deny("lost", EXPIRES)  # the write is lost
    live = RedisAccessTokenDenylist(redis, token_lifetime_seconds=LIFETIME, wall_clock=clock)
    assert await live.is_denied("lost") is False, "a process that saw no failure trusts the complete marker"

    # The process that lost the write reaches Redis again: it restarts the window for everyone.
    dead._client = redis
    assert await dead.is_denied("lost") is None
    assert await live.is_denied("lost") is None
    clock.now += LIFETIME
    assert await live.is_denied("lost") is False


async def test_a_new_redis_starts_the_window_with_an_info_line_not_a_warning(redis, caplog):
    denylist = RedisAccessTokenDenylist(redis, token_lifetime_seconds=LIFETIME, wall_clock=Clock())
    with caplog.at_level(logging.INFO, logger="adapters.redis.access_token_denylist"):
        assert await denylist.is_denied("jti") is None
    [record] = [record for record in caplog.records if "may miss entries" in record.getMessage()]
    assert record.levelno == logging.INFO
    assert "may miss entries (no completeness marker: a new or emptied redis)" in record.getMessage()


async def test_a_failure_seen_here_is_still_a_warning_when_the_window_restarts(redis, caplog):
    await redis.set(COMPLETE_SINCE_KEY, b"0")
    circuit = RedisCircuit(cooldown_seconds=0)
    denylist = RedisAccessTokenDenylist(
        create_redis_client("redis://127.0.0.1:1/0"), circuit, token_lifetime_seconds=LIFETIME, wall_clock=Clock()
    )
    await denylist.deny("lost", EXPIRES)
    denylist._client = redis
    with caplog.at_level(logging.INFO, logger="adapters.redis.access_token_denylist"):
        assert await denylist.is_denied("lost") is None
    [record] = [record for record in caplog.records if "may miss entries" in record.getMessage()]
    assert record.levelno == logging.WARNING
    assert "may miss entries (redis was unreachable)" in record.getMessage()
