"""PostgreSQL restarted under checkout load: clean, retryable 503s while it is away, nothing half-written."""

from __future__ import annotations

import asyncio
import collections
import time
import uuid

import asyncpg
import httpx
import pytest

from tests.e2e.buying_flows import ADDRESS
from tests.e2e.identity_flows import bearer
from tests.faults.conftest import dsn, marketplace, wait_until_ready

pytestmark = pytest.mark.slow

STOCK = 10_000


async def test_postgres_restarted_during_checkout_load_fails_cleanly_and_loses_nothing(
    engines, setup_client, shared_serve
):
    postgres, _redis = engines
    world = await marketplace(setup_client, buyers=6, stock=STOCK)
    product_id = world.product["id"]
    statuses: collections.Counter[int] = collections.Counter()
    refusals: list[httpx.Response] = []
    placed: dict[str, str] = {}  # Idempotency-Key -> checkout id
    stop_at = time.monotonic() + 7

    async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:

        async def until_accepted(send: object) -> httpx.Response:
            """Send, and on a refusal retry the very same request after its Retry-After, as a client should."""
            while True:
                response = await send()  # type: ignore[operator]
                statuses[response.status_code] += 1
                if response.status_code < 300:
                    return response
                refusals.append(response)
                await asyncio.sleep(min(float(response.headers.get("retry-after", "1")), 0.5))

        async def buyer(tokens: dict) -> None:
            while time.monotonic() < stop_at:
                await until_accepted(
                    lambda: http.put(f"/api/v1/cart/items/{product_id}", json={"quantity": 1}, headers=bearer(tokens))
                )
                key = uuid.uuid4().hex
                headers = bearer(tokens) | {"Idempotency-Key": key}
                checkout = await until_accepted(
                    lambda: http.post("/api/v1/checkouts", json={"shipping_address": ADDRESS}, headers=headers)  # noqa: B023
                )
                assert checkout.status_code == 201, checkout.text
                placed[key] = checkout.json()["id"]

        load = asyncio.gather(*(buyer(tokens) for tokens in world.buyers))
        await asyncio.sleep(2)
        await asyncio.to_thread(postgres.stop_fast)  # aborts the open transactions, closes every connection
        await asyncio.sleep(1)
        await asyncio.to_thread(postgres.start_again)
        await load
        await wait_until_ready(http)

    print(f"statuses during the restart: {dict(statuses)}, checkouts placed: {len(placed)}")  # noqa: T201 - with -s
    # Every refusal was a clean, retryable problem: no 500, no hang.
    assert statuses[503] > 0, f"the restart was not felt: {statuses}"
    assert set(statuses) <= {200, 201, 503}, statuses
    for refusal in refusals:
        assert refusal.headers["content-type"].startswith("application/problem+json")
        assert refusal.json()["code"] == "service_unavailable"
        assert int(refusal.headers["retry-after"]) > 0

    buyer_ids = [uuid.UUID(tokens["user"]["id"]) for tokens in world.buyers]
    db = await asyncpg.connect(dsn(postgres.url))
    try:
        # One checkout per accepted key, and no other: a request cut mid-transaction left nothing behind.
        checkouts = await db.fetch("SELECT id FROM checkouts WHERE buyer_id = ANY($1::uuid[])", buyer_ids)
        assert sorted(str(row["id"]) for row in checkouts) == sorted(placed.values())
        keys = await db.fetch(
            "SELECT key, status_code FROM idempotency_keys WHERE owner_id = ANY($1::uuid[])", buyer_ids
        )
        assert sorted(row["key"] for row in keys) == sorted(placed)
        assert {row["status_code"] for row in keys} == {201}

        # No order half-written: every checkout has its orders, every order its lines, and the sums agree.
        broken = await db.fetch(
            """
            SELECT c.id FROM checkouts c
            WHERE c.buyer_id = ANY($1::uuid[]) AND (
                NOT EXISTS (SELECT 1 FROM orders o WHERE o.checkout_id = c.id)
                OR c.total_minor <> (SELECT sum(o.total_minor) FROM orders o WHERE o.checkout_id = c.id)
                OR EXISTS (
                    SELECT 1 FROM orders o WHERE o.checkout_id = c.id AND o.subtotal_minor IS DISTINCT FROM (
                        SELECT sum(l.unit_price_minor * l.quantity) FROM order_lines l WHERE l.order_id = o.id
                    )
                )
            )
            """,
            buyer_ids,
        )
        assert broken == []

        # The stock ledger still sums to the stock, and the stock to what was sold.
        product = uuid.UUID(product_id)
        stock = await db.fetchval("SELECT stock FROM products WHERE id = $1", product)
        ledger = await db.fetchrow(
            "SELECT sum(delta) AS total, count(*) AS movements FROM stock_movements WHERE product_id = $1", product
        )
        last_level = await db.fetchval(
            "SELECT resulting_level FROM stock_movements WHERE product_id = $1 ORDER BY id DESC LIMIT 1", product
        )
        sold = await db.fetchval("SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = $1", product)
        assert ledger["total"] == stock == last_level == STOCK - sold
        assert sold == len(placed) > 0
    finally:
        await db.close()
