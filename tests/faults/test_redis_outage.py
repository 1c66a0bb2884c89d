"""Redis killed under load: login, catalog and checkout keep answering from PostgreSQL, /ready says degraded."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable

import httpx
import pytest

from tests.e2e.buying_flows import ADDRESS
from tests.e2e.identity_flows import PASSWORD, bearer
from tests.faults.conftest import marketplace, wait_until_ready

pytestmark = pytest.mark.slow

Timings = dict[str, tuple[int, float]]


async def _one_round(http: httpx.AsyncClient, email: str, product_id: str) -> Timings:
    """Log in, browse and check out once, as one customer: the status and seconds of each step."""
    timings: Timings = {}

    async def timed(step: str, request: Awaitable[httpx.Response]) -> httpx.Response:
        started = time.perf_counter()
        response = await request
        timings[step] = (response.status_code, time.perf_counter() - started)
        return response

    login = await timed("login", http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD}))
    if login.status_code != 200:
        return timings
    tokens = login.json()
    await timed("catalog", http.get("/api/v1/products", params={"limit": 20}))
    await timed("product", http.get(f"/api/v1/products/{product_id}"))
    await timed("me", http.get("/api/v1/me", headers=bearer(tokens)))
    await timed("cart", http.put(f"/api/v1/cart/items/{product_id}", json={"quantity": 1}, headers=bearer(tokens)))
    await timed(
        "checkout",
        http.post(
            "/api/v1/checkouts",
            json={"shipping_address": ADDRESS},
            headers=bearer(tokens) | {"Idempotency-Key": uuid.uuid4().hex},
        ),
    )
    return timings


PHASES = ("redis up", "redis away", "redis back")
EXPECTED = {"login": 200, "catalog": 200, "product": 200, "me": 200, "cart": 200, "checkout": 201}


@pytest.mark.parametrize("fault", ["killed", "frozen"])
async def test_redis_lost_mid_load_login_catalog_and_checkout_keep_answering(
    engines, setup_client, shared_serve, fault
):
    """Killed: connections refused at once. Frozen (SIGSTOP): nothing answers, each call waits for its
    0.5 s socket timeout until the circuit opens; both must only cost time."""
    _postgres, redis = engines
    world = await marketplace(setup_client, buyers=4, stock=1_000)
    product_id = world.product["id"]
    rounds: list[tuple[str, Timings]] = []

    async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:

        async def load(phase: str, count: int) -> None:
            for _ in range(count):
                results = await asyncio.gather(*(_one_round(http, email, product_id) for email in world.buyer_emails))
                rounds.extend((phase, result) for result in results)

        await load("redis up", 2)
        assert (await http.get("/ready")).json()["status"] == "ready"

        under_load = asyncio.create_task(load("redis away", 3))
        await asyncio.sleep(0.2)
        if fault == "killed":
            redis.kill()  # SIGKILL: connections reset mid-command, nothing flushed
        else:
            redis.freeze()
        await under_load

        degraded = await http.get("/ready")
        assert degraded.status_code == 200, degraded.text
        assert degraded.json() == {"status": "degraded", "reachable": ["postgresql"], "unreachable": ["redis"]}

        if fault == "killed":
            redis.start()  # same port, empty: the caches refill from PostgreSQL
        else:
            redis.thaw()
        await wait_until_ready(http)
        await load("redis back", 1)

    wrong = [(phase, step, status) for phase, timings in rounds for step, (status, _) in timings.items()]
    assert [item for item in wrong if item[2] != EXPECTED[item[1]]] == []
    assert {phase for phase, _ in rounds} == set(PHASES)
    assert all(timings.keys() == EXPECTED.keys() for _, timings in rounds), "every round ran every step"

    def median_ms(phase: str, step: str) -> float:
        return 1000 * statistics.median(t[step][1] for p, t in rounds if p == phase)

    # Shown with -s; the numbers in docs/reliability.md come from here.
    medians = {phase: {step: round(median_ms(phase, step), 1) for step in EXPECTED} for phase in PHASES}
    print(f"median ms per step, redis {fault}: {medians}")  # noqa: T201


async def test_a_logout_during_a_redis_outage_still_refuses_the_token_after_redis_returns(
    engines, setup_client, shared_serve
):
    _postgres, redis = engines
    world = await marketplace(setup_client, buyers=2, stock=1)
    async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:
        logged_out_before, logged_out_during = [
            (await http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD})).json()
            for email in world.buyer_emails
        ]
        assert (await http.post("/api/v1/auth/logout", headers=bearer(logged_out_before))).status_code == 204
        redis.kill()
        assert (await http.post("/api/v1/auth/logout", headers=bearer(logged_out_during))).status_code == 204
        for tokens in (logged_out_before, logged_out_during):
            assert (await http.get("/api/v1/me", headers=bearer(tokens))).status_code == 401

        redis.start()  # empty: the denylist entries are gone, PostgreSQL still has the revocations
        await wait_until_ready(http)
        await asyncio.sleep(6)  # past the circuit's cooldown: the process asks Redis again
        for tokens in (logged_out_before, logged_out_during):
            response = await http.get("/api/v1/me", headers=bearer(tokens))
            assert response.status_code == 401, "a revoked token is refused again once Redis is back"


@pytest.mark.xfail(
    strict=True,
    reason="ADR 0004 known limit: an eviction skipped while Redis is unreachable but alive leaves the stale "
    "credentials until their TTL (24 h); operators flush auth:v1:* after such an incident",
)
async def test_a_role_change_while_redis_is_unreachable_is_not_undone_when_redis_answers_again(
    engines, setup_client, shared_serve
):
    _postgres, redis = engines
    world = await marketplace(setup_client, buyers=1, stock=1)
    email = world.buyer_emails[0]
    async with httpx.AsyncClient(base_url=shared_serve.base_url, timeout=30) as http:
        tokens = (await http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD})).json()
        assert (await http.get("/api/v1/me", headers=bearer(tokens))).status_code == 200  # cached by id too

        redis.freeze()  # alive, holding the cached credentials, answering nothing
        changed = await http.patch(
            f"/api/v1/admin/users/{tokens['user']['id']}", json={"role": "support"}, headers=bearer(world.admin)
        )
        assert changed.status_code == 200, changed.text
        redis.thaw()
        await wait_until_ready(http)
        await asyncio.sleep(6)  # past the circuit's cooldown: the process reads Redis again

        assert (await http.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
        again = await http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD})
        assert again.json()["user"]["role"] == "support"
