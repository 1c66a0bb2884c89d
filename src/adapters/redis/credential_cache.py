"""The login credential cache in Redis: O(1) keys, msgspec records, never pickles."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import get_type_hints

import msgspec
from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import AuthMetrics, CredentialCache, CredentialRecord
from domain.identity.roles import UserId

logger = logging.getLogger(__name__)

PREFIX = "auth:v1"


_CachedCredentials = msgspec.defstruct(
    "_CachedCredentials", list(get_type_hints(CredentialRecord).items()), array_like=True, frozen=True
)
"""The stored form of a ``CredentialRecord``: its fields in order, as a msgpack array (see ADR 0004)."""


# Store the record only if no eviction newer than it happened meanwhile. Without
# this, a login that read the row just before a password change committed could
# put the old hash back after the change evicted it.
_STORE_UNLESS_FENCED = """
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
if fence > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[4], 'EX', ARGV[3]) end
return 1
"""


def login_key(username: str) -> str:
    return f"{PREFIX}:login:{username}"


def user_key(user_id: UserId | str) -> str:
    return f"{PREFIX}:user:{user_id}"


def fence_key(user_id: UserId | str) -> str:
    return f"{PREFIX}:fence:{user_id}"


class RedisCredentialCache(CredentialCache):
    """``auth:v1:login:<username>`` → user id and ``auth:v1:user:<id>`` → record, both with a TTL.

    ``auth:v1:fence:<id>`` holds the time (in microseconds) of the newest
    change evicted; a record read before that change is not stored.
    """

    def __init__(
        self, client: Redis, *, ttl_seconds: int, metrics: AuthMetrics, circuit: RedisCircuit | None = None
    ) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._ttl = ttl_seconds
        self._metrics = metrics
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(_CachedCredentials)
        self._store_script = client.register_script(_STORE_UNLESS_FENCED)

    async def by_login(self, login_key_value: str) -> CredentialRecord | None:
        try:
            user_id = _as_bytes(await self._circuit.run(lambda: self._client.get(login_key(login_key_value))))
            if user_id is None:
                return None
            record = await self._circuit.run(lambda: self._client.get(user_key(user_id.decode())))
            return self._decode(_as_bytes(record))
        except RedisUnavailable as error:
            self._unavailable("read", error)
            return None

    async def by_user_id(self, user_id: UserId) -> CredentialRecord | None:
        try:
            return self._decode(_as_bytes(await self._circuit.run(lambda: self._client.get(user_key(user_id)))))
        except RedisUnavailable as error:
            self._unavailable("read", error)
            return None

    async def store(self, record: CredentialRecord) -> None:
        payload = self._encoder.encode(msgspec.convert(record, _CachedCredentials, from_attributes=True))
        keys = [user_key(record.user_id), fence_key(record.user_id), *(login_key(k) for k in record.login_keys)]
        try:
            await self._circuit.run(
                lambda: self._store_script(
                    keys=keys, args=[payload, _micros(record.updated_at), self._ttl, str(record.user_id)]
                )
            )
        except RedisUnavailable as error:
            self._unavailable("store", error)

    async def evict(self, user_id: UserId, login_keys: Iterable[str], changed_at: datetime) -> None:
        keys = [user_key(user_id), *(login_key(k) for k in login_keys)]

        async def evict_behind_a_fence() -> None:
            async with self._client.pipeline(transaction=True) as pipeline:
                pipeline.set(fence_key(user_id), _micros(changed_at), ex=self._ttl)
                pipeline.delete(*keys)
                await pipeline.execute()

        try:
            # Tried even while the circuit is open: a Redis that has just come back (its pooled
            # connections dead, the first failure opening the circuit) must still lose the entry.
            await self._circuit.run(evict_behind_a_fence, even_if_open=True)
        except RedisUnavailable as error:
            # The change is committed; the entry dies with its TTL. See ADR 0004.
            self._unavailable("evict", error)

    def _decode(self, raw: bytes | None) -> CredentialRecord | None:
        if raw is None:
            return None
        try:
            cached = self._decoder.decode(raw)
        except msgspec.DecodeError:
            return None  # written by another version of the record: treat as a miss
        return msgspec.convert(cached, CredentialRecord, from_attributes=True)

    def _unavailable(self, operation: str, error: BaseException) -> None:
        self._metrics.cache_unavailable()
        logger.warning("credential cache %s failed: %s", operation, error.__class__.__name__)


def _as_bytes(value: bytes | str | None) -> bytes | None:
    return value.encode() if isinstance(value, str) else value


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)
