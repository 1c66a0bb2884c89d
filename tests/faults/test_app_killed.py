"""An app process SIGKILLed in the middle of buying: the client's retry completes it exactly once.

The test stops the app where it wants it by holding a row or table lock from its own connection,
waits until the app's backend is queued on that lock, SIGKILLs the whole `serve` process group,
then retries the same request (the same Idempotency-Key, the same checkout) on a new process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
import pytest

from tests.e2e.buying_flows import ADDRESS
from tests.e2e.identity_flows import bearer
from tests.faults.conftest import dsn, marketplace

pytestmark = pytest.mark.slow


async def _until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + 30
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.05)


async def _app_waits_on_a_lock(db: asyncpg.Connection) -> bool:
    waiting = await db.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'commerce' AND wait_event_type = 'Lock'"
    )
    return bool(waiting)


async def _fill_cart(http: httpx.AsyncClient, tokens: dict, product_id: str) -> None:
    cart = await http.put(f"/api/v1/cart/items/{product_id}", json={"quantity": 2}, headers=bearer(tokens))
    assert cart.status_code == 200, cart.text


async def _check_out(http: httpx.AsyncClient, tokens: dict, key: str) -> httpx.Response:
    return await http.post(
        "/api/v1/checkouts", json={"shipping_address": ADDRESS}, headers=bearer(tokens) | {"Idempotency-Key": key}
    )


async def test_app_killed_mid_checkout_then_the_same_idempotency_key_places_it_once(
    engines, setup_client, serve_factory, shared_serve
):
    postgres, _redis = engines
    world = await marketplace(setup_client, buyers=1, stock=50)
    tokens, product_id, key = world.buyers[0], world.product["id"], uuid.uuid4().hex
    doomed = serve_factory().start()
    db = await asyncpg.connect(dsn(postgres.url))
    try:
        async with httpx.AsyncClient(base_url=doomed.base_url, timeout=30) as http:
            await _fill_cart(http, tokens, product_id)
            lock = db.transaction()
            await lock.start()
            await db.execute("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", uuid.UUID(product_id))
            request = asyncio.create_task(_check_out(http, tokens, key))
            await _until(lambda: _app_waits_on_a_lock(db), "the checkout waits on the product row")
            doomed.kill()
            with pytest.raises(httpx.TransportError):
                await request
        await lock.rollback()

        # The client retries; its balancer sends the retry to another process.
        async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:
            headers = bearer(tokens) | {"Idempotency-Key": key}
            retried = await http.post("/api/v1/checkouts", json={"shipping_address": ADDRESS}, headers=headers)
            again = await http.post("/api/v1/checkouts", json={"shipping_address": ADDRESS}, headers=headers)
        assert retried.status_code == 201, retried.text
        assert again.status_code == 201
        assert again.json()["id"] == retried.json()["id"]

        buyer = uuid.UUID(tokens["user"]["id"])
        assert await db.fetchval("SELECT count(*) FROM checkouts WHERE buyer_id = $1", buyer) == 1
        assert await db.fetchval("SELECT stock FROM products WHERE id = $1", uuid.UUID(product_id)) == 48
        assert (
            await db.fetchval("SELECT sum(delta) FROM stock_movements WHERE product_id = $1", uuid.UUID(product_id))
            == 48
        )
    finally:
        await db.close()


@pytest.mark.parametrize("kill_point", ["before_the_gateway_answers", "after_the_charge_before_settling"])
async def test_app_killed_mid_payment_then_the_retry_charges_once_and_pays_once(
    engines, setup_client, serve_factory, shared_serve, kill_point
):
    postgres, _redis = engines
    world = await marketplace(setup_client, buyers=1, stock=50, price=25_000)
    tokens, product_id = world.buyers[0], world.product["id"]
    doomed = serve_factory().start()
    db = await asyncpg.connect(dsn(postgres.url))
    try:
        async with httpx.AsyncClient(base_url=doomed.base_url, timeout=30) as http:
            await _fill_cart(http, tokens, product_id)
            placed = await _check_out(http, tokens, uuid.uuid4().hex)
            assert placed.status_code == 201, placed.text
            checkout_id = uuid.UUID(placed.json()["id"])

            gateway_lock = db.transaction()
            await gateway_lock.start()
            await db.execute("LOCK TABLE fake_gateway_operations IN EXCLUSIVE MODE")
            paying = asyncio.create_task(
                http.post(
                    f"/api/v1/checkouts/{checkout_id}/payment",
                    json={"method": "card", "token": "tok_visa_ok"},
                    headers=bearer(tokens),
                )
            )
            await _until(lambda: _app_waits_on_a_lock(db), "the charge waits on the gateway's book")
            attempt = await db.fetchval("SELECT id FROM payment_attempts WHERE checkout_id = $1", checkout_id)
            assert attempt is not None, "the attempt is committed before the gateway is called"
            if kill_point == "after_the_charge_before_settling":
                other = await asyncpg.connect(dsn(postgres.url))
                settle_lock = other.transaction()
                await settle_lock.start()
                await other.execute("SELECT 1 FROM checkouts WHERE id = $1 FOR UPDATE", checkout_id)
                await gateway_lock.rollback()

                async def charged() -> bool:
                    booked = await db.fetchval(
                        "SELECT count(*) FROM fake_gateway_operations WHERE idempotency_key = $1", attempt
                    )
                    return bool(booked) and await _app_waits_on_a_lock(db)

                await _until(charged, "the gateway booked the charge and settling waits on the checkout")
                doomed.kill()
                await settle_lock.rollback()
                await other.close()
            else:
                doomed.kill()
                await gateway_lock.rollback()
            with pytest.raises(httpx.TransportError):
                await paying

        # The client retries; its balancer sends the retry to another process.
        async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:
            retried = await http.post(
                f"/api/v1/checkouts/{checkout_id}/payment",
                json={"method": "card", "token": "tok_visa_ok"},
                headers=bearer(tokens),
            )
            assert retried.status_code == 200, retried.text
            assert retried.json()["checkout"]["status"] == "paid"
            again = await http.post(
                f"/api/v1/checkouts/{checkout_id}/payment",
                json={"method": "card", "token": "tok_visa_ok"},
                headers=bearer(tokens),
            )
            assert again.status_code == 409, again.text

        attempts = await db.fetch("SELECT id, status FROM payment_attempts WHERE checkout_id = $1", checkout_id)
        assert [(row["id"], row["status"]) for row in attempts] == [(attempt, "approved")]
        charges = await db.fetch(
            "SELECT amount_minor FROM fake_gateway_operations WHERE kind = 'charge' AND idempotency_key = $1", attempt
        )
        total = await db.fetchval("SELECT total_minor FROM checkouts WHERE id = $1", checkout_id)
        assert [row["amount_minor"] for row in charges] == [total], "charged once, the checkout's total"
        assert await db.fetchval("SELECT count(*) FROM fake_gateway_operations WHERE kind = 'refund'") == 0
        orders = await db.fetch("SELECT id, status FROM orders WHERE checkout_id = $1", checkout_id)
        assert [row["status"] for row in orders] == ["paid"]
        order_id = orders[0]["id"]
        assert await db.fetchval("SELECT count(*) FROM invoices WHERE order_id = $1", order_id) == 1
        kinds = await db.fetch("SELECT kind FROM merchant_ledger_entries WHERE order_id = $1 ORDER BY kind", order_id)
        assert len(kinds) == len({row["kind"] for row in kinds}) > 0, "each ledger entry booked once"
    finally:
        await db.close()
