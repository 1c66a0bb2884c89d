"""Logged-out access tokens, denied in Redis until they would have expired anyway."""

from __future__ import annotations

import logging
from datetime import datetime

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import AccessTokenDenylist

logger = logging.getLogger(__name__)


def denied_key(token_id: str) -> str:
    return f"auth:v1:deny:{token_id}"


class RedisAccessTokenDenylist(AccessTokenDenylist):
    def __init__(self, client: Redis, circuit: RedisCircuit | None = None) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()

    async def deny(self, token_id: str, expires_at: datetime) -> None:
        try:
            await self._circuit.run(
                lambda: self._client.set(denied_key(token_id), b"1", exat=int(expires_at.timestamp()) + 1)
            )
        except RedisUnavailable as error:
            logger.warning("could not write the access-token denylist: %s", error.__class__.__name__)

    async def is_denied(self, *token_ids: str) -> bool | None:
        keys = [denied_key(token_id) for token_id in token_ids]
        try:
            return bool(await self._circuit.run(lambda: self._client.exists(*keys)))
        except RedisUnavailable as error:
            logger.warning("could not read the access-token denylist: %s", error.__class__.__name__)
            return None
