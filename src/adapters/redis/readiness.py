"""Readiness probe for Redis."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from application.ports import DependencyProbe

logger = logging.getLogger(__name__)


class RedisProbe(DependencyProbe):
    def __init__(self, client: Redis) -> None:
        self._client = client

    @property
    def name(self) -> str:
        return "redis"

    async def is_reachable(self) -> bool:
        try:
            await self._client.ping()
        except (RedisError, OSError) as error:
            logger.warning("redis is not reachable: %s", error.__class__.__name__)
            return False
        return True
