from adapters.postgres import PostgresProbe, create_database_engine
from adapters.redis import RedisProbe, create_redis_client


async def test_probes_answer_for_live_servers(engine, redis):
    assert await PostgresProbe(engine).is_reachable()
    assert await RedisProbe(redis).is_reachable()


async def test_probes_report_dead_servers_without_raising():
    dead_engine = create_database_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    dead_redis = create_redis_client("redis://127.0.0.1:1/0")
    try:
        assert not await PostgresProbe(dead_engine).is_reachable()
        assert not await RedisProbe(dead_redis).is_reachable()
    finally:
        await dead_engine.dispose()
        await dead_redis.aclose()
