"""A circuit breaker in front of Redis, so that an outage costs one timeout, not one per call."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class RedisUnavailable(Exception):
    """Redis did not answer, or was recently found not answering: take the fallback path."""


class RedisCircuit:
    """Shared by the Redis adapters of one process.

    After a failure, calls are refused at once for ``cooldown_seconds``; the
    first call after that tries Redis again (and closes the circuit when it
    answers). A Redis that hangs would otherwise cost every request the full
    socket timeout on every call.
    """

    def __init__(self, cooldown_seconds: float = 5.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._cooldown = cooldown_seconds
        self._monotonic = monotonic
        self._open_until = 0.0

    @property
    def is_open(self) -> bool:
        return self._monotonic() < self._open_until

    async def run(self, operation: Callable[[], Awaitable[T]], *, even_if_open: bool = False) -> T:
        """``operation`` on Redis, or ``RedisUnavailable`` at once while the circuit is open.

        ``even_if_open`` is for the rare writes that keep data correct (evictions):
        worth one timeout during an outage, rather than a stale entry after it.
        """
        if self.is_open and not even_if_open:
            raise RedisUnavailable("redis is skipped for a moment after a failure")
        try:
            result = await operation()
        except (RedisError, OSError) as error:
            if self._open_until == 0.0:
                logger.warning("redis is unreachable (%s); falling back for now", error.__class__.__name__)
            self._open_until = self._monotonic() + self._cooldown
            raise RedisUnavailable(str(error)) from error
        if self._open_until:
            logger.info("redis answers again")
            self._open_until = 0.0
        return result
