"""Readiness probe for Redis."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.probe import RoundTripProbe


class RedisProbe(RoundTripProbe):
    def __init__(self, client: Redis) -> None:
        super().__init__("redis", client.ping, failures=(RedisError, OSError))
