"""The Redis client: created by the composition root, never at import."""

from __future__ import annotations

from redis.asyncio import Redis


def create_redis_client(url: str) -> Redis:
    # Short timeouts: a Redis outage must slow a request down a little, never hang it.
    return Redis.from_url(
        url,
        socket_connect_timeout=0.5,
        socket_timeout=0.5,
        health_check_interval=30,
        decode_responses=False,
    )
