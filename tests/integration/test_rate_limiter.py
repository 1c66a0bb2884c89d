"""The Redis rate limiter: shared fixed windows, one Lua call per hit, an in-process fallback."""

from adapters.redis import RedisCircuit, RedisRateLimiter, create_redis_client, rate_limit_key
from application.ports import RateLimit

RULE = RateLimit("search_per_client", 3, 60)


async def test_two_limiters_on_one_redis_share_the_window(redis):
    first, second = RedisRateLimiter(redis), RedisRateLimiter(redis)  # two processes, one Redis
    decisions = [await (first if n % 2 else second).hit(RULE, "10.0.0.1") for n in range(4)]
    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert [decision.remaining for decision in decisions] == [2, 1, 0, 0]
    assert 0 < decisions[-1].reset_seconds <= 60
    assert 0 < await redis.ttl(rate_limit_key(RULE.name, "10.0.0.1")) <= 60
    assert (await first.hit(RULE, "10.0.0.2")).allowed


async def test_a_read_costs_nothing_and_clear_starts_over(redis):
    limiter = RedisRateLimiter(redis)
    await limiter.hit(RULE, "ana", cost=3)
    assert (await limiter.hit(RULE, "ana", cost=0)).remaining == 0
    await limiter.clear(RULE, "ana")
    assert (await limiter.hit(RULE, "ana", cost=0)).remaining == 3


async def test_subjects_are_not_stored_in_key_names(redis):
    await RedisRateLimiter(redis).hit(RULE, "ana@example.com")
    assert not [key async for key in redis.scan_iter("*ana@example.com*")]


async def test_the_limiter_counts_in_this_process_when_redis_is_down():
    client = create_redis_client("redis://127.0.0.1:1/0")
    limiter = RedisRateLimiter(client, RedisCircuit())
    decisions = [await limiter.hit(RULE, "10.0.0.1") for _ in range(4)]
    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    await client.aclose()
