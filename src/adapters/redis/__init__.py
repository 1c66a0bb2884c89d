"""Redis adapters (redis-py asyncio)."""

from adapters.redis.client import create_redis_client
from adapters.redis.readiness import RedisProbe

__all__ = ["RedisProbe", "create_redis_client"]
