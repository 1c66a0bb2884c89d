"""Redis adapters (redis-py asyncio)."""

from adapters.redis.access_token_denylist import RedisAccessTokenDenylist
from adapters.redis.catalog_cache import RedisCatalogCache
from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from adapters.redis.client import create_redis_client
from adapters.redis.credential_cache import RedisCredentialCache
from adapters.redis.login_throttle import InMemoryLoginThrottle, RedisLoginThrottle
from adapters.redis.rate_limiter import InMemoryRateLimiter, RedisRateLimiter, rate_limit_key
from adapters.redis.readiness import RedisProbe

__all__ = [
    "InMemoryLoginThrottle",
    "InMemoryRateLimiter",
    "RedisAccessTokenDenylist",
    "RedisCatalogCache",
    "RedisCircuit",
    "RedisCredentialCache",
    "RedisLoginThrottle",
    "RedisProbe",
    "RedisRateLimiter",
    "RedisUnavailable",
    "create_redis_client",
    "rate_limit_key",
]
