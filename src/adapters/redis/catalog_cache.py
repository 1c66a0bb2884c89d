"""Read-through cache of public catalog pages (the encoded response bytes), with versioned keys."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from redis.asyncio import Redis

from adapters.redis.circuit import RedisCircuit, RedisUnavailable
from application.ports import CachedPage, CatalogCacheInvalidation, CatalogPageCache
from domain.catalog.products import ProductId

logger = logging.getLogger(__name__)

PREFIX = "catalog:v1"
LISTING_GENERATION = f"{PREFIX}:gen:listing"

# One round trip: read the generation, then the page stored under it.
_READ_GENERATION_AND_PAGE = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. generation .. ARGV[2])}
"""


def product_generation_key(product_id: ProductId | str) -> str:
    return f"{PREFIX}:gen:product:{product_id}"


class RedisCatalogCache(CatalogPageCache, CatalogCacheInvalidation):
    """Pages live under keys that embed a generation counter; a write bumps the counter.

    - product page: ``catalog:v1:product:<id>:<product generation>``;
    - listing page: ``catalog:v1:list:<listing generation>:<sha256 of the query>``.

    Bumping never scans or deletes: old pages are simply never asked for again
    and expire (``page_ttl_seconds``). A page computed while a write happened is
    stored under the generation read *before* computing it, so it can never be
    served after that write. Generation counters outlive every page (a day).
    An unreachable Redis makes every lookup a miss and every write a no-op.
    """

    def __init__(
        self,
        client: Redis,
        *,
        page_ttl_seconds: int = 300,
        generation_ttl_seconds: int = 86_400,
        circuit: RedisCircuit | None = None,
    ) -> None:
        self._client = client
        self._circuit = circuit or RedisCircuit()
        self._page_ttl = page_ttl_seconds
        self._generation_ttl = generation_ttl_seconds
        self._read_script = client.register_script(_READ_GENERATION_AND_PAGE)

    async def product_page(self, product_id: ProductId) -> CachedPage:
        return await self._read(product_generation_key(product_id), f"{PREFIX}:product:{product_id}:", "")

    async def listing_page(self, fingerprint: str) -> CachedPage:
        digest = hashlib.sha256(fingerprint.encode()).hexdigest()
        return await self._read(LISTING_GENERATION, f"{PREFIX}:list:", f":{digest}")

    async def store(self, page: CachedPage, body: bytes) -> None:
        if page.store_under is None:
            return
        key = page.store_under
        try:
            await self._circuit.run(lambda: self._client.set(key, body, ex=self._page_ttl))
        except RedisUnavailable as error:
            logger.warning("catalog cache write failed: %s", error.__class__.__name__)

    async def products_changed(self, product_ids: Sequence[ProductId]) -> None:
        if not product_ids:
            return
        await self._bump([product_generation_key(product_id) for product_id in product_ids])

    async def listings_changed(self) -> None:
        await self._bump([LISTING_GENERATION])

    async def _read(self, generation_key: str, page_prefix: str, page_suffix: str) -> CachedPage:
        try:
            generation, body = await self._circuit.run(
                lambda: self._read_script(keys=[generation_key], args=[page_prefix, page_suffix])
            )
        except RedisUnavailable as error:
            logger.warning("catalog cache read failed: %s", error.__class__.__name__)
            return CachedPage(body=None, store_under=None)
        generation_text = generation.decode() if isinstance(generation, bytes) else str(generation)
        return CachedPage(body=body or None, store_under=f"{page_prefix}{generation_text}{page_suffix}")

    async def _bump(self, keys: list[str]) -> None:

        async def bump_all() -> None:
            async with self._client.pipeline(transaction=False) as pipeline:
                for key in keys:
                    pipeline.incr(key)
                    pipeline.expire(key, self._generation_ttl)
                await pipeline.execute()

        try:
            await self._circuit.run(bump_all)
        except RedisUnavailable as error:
            # Pages already cached stay until their TTL; see ADR 0005.
            logger.warning("catalog cache invalidation failed: %s", error.__class__.__name__)
