"""Logged-out access tokens, denied in Redis until they would have expired anyway."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import AccessTokenDenylist

logger = logging.getLogger(__name__)

# When this Redis's denylist became complete: Unix seconds. Missing means Redis lost its data.
COMPLETE_SINCE_KEY = "auth:v1:deny:complete-since"


def denied_key(token_id: str) -> str:
    return f"auth:v1:deny:{token_id}"


def _as_float(value: object) -> float | None:
    if isinstance(value, bytes | str | int | float):
        try:
            return float(value)
        except ValueError:
            return None
    return None


class RedisAccessTokenDenylist(AccessTokenDenylist):
    """A cache of ``revoked_access_tokens`` (PostgreSQL keeps the truth), trusted only while complete.

    Redis can lose entries: it restarts empty, or a logout's write fails while it is away. Its
    "not denied" would then let a revoked token back in until the token expires. So Redis keeps
    ``COMPLETE_SINCE_KEY``: entries may be missing for tokens revoked before that moment, and
    every such token has expired one access-token lifetime later. Until then, "not in Redis"
    answers ``None`` and the caller asks PostgreSQL. The marker is (re)set to now when it is
    missing (Redis lost its data) and when Redis answers again after a failure seen here (a
    write may have been lost, by this process or another one).
    """

    def __init__(
        self,
        client: Redis,
        circuit: RedisCircuit | None = None,
        *,
        token_lifetime_seconds: int = 15 * 60,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._lifetime = token_lifetime_seconds
        self._now = wall_clock
        self._failed_since_last_answer = False

    async def deny(self, token_id: str, expires_at: datetime) -> None:
        try:
            await self._circuit.run(
                lambda: self._client.set(denied_key(token_id), b"1", exat=int(expires_at.timestamp()) + 1)
            )
        except RedisUnavailable as error:
            self._failed_since_last_answer = True
            logger.warning("could not write the access-token denylist: %s", error.__class__.__name__)
            return
        await self._after_an_answer()

    async def is_denied(self, *token_ids: str) -> bool | None:
        # One MGET, the marker first: a denied token's key holds a value, so "exists" is "not nil". One
        # command costs a request less than a pipeline of EXISTS and GET, and answers the same.
        keys = [COMPLETE_SINCE_KEY, *(denied_key(token_id) for token_id in token_ids)]
        try:
            complete_since, *denials = await self._circuit.run(lambda: self._client.mget(keys))
        except RedisUnavailable as error:
            self._failed_since_last_answer = True
            logger.warning("could not read the access-token denylist: %s", error.__class__.__name__)
            return None
        if any(denial is not None for denial in denials):
            return True
        since = _as_float(complete_since)
        if since is None or self._failed_since_last_answer:
            await self._mark_complete_from_now(lost_data=since is None)
            return None
        return False if self._now() >= since + self._lifetime else None

    async def _after_an_answer(self) -> None:
        if self._failed_since_last_answer:
            await self._mark_complete_from_now(lost_data=False)

    async def _mark_complete_from_now(self, *, lost_data: bool) -> None:
        """Start the window; a missing marker is only an INFO line, as every new install's first request finds.

        Redis alone cannot tell a new install from a Redis that lost its data (setting the marker in the
        past would be safe only if PostgreSQL held no revocation still within a token lifetime), so the
        window runs either way; a failure this process saw is a fault, and stays a warning.
        """
        try:
            await self._circuit.run(lambda: self._client.set(COMPLETE_SINCE_KEY, str(self._now()).encode()))
        except RedisUnavailable:
            return
        self._failed_since_last_answer = False
        logger.log(
            logging.INFO if lost_data else logging.WARNING,
            "access-token denylist in redis may miss entries (%s): checking PostgreSQL for %s s",
            "no completeness marker: a new or emptied redis" if lost_data else "redis was unreachable",
            self._lifetime,
        )
