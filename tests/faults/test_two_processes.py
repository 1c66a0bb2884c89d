"""Two `serve` processes, one of them with two workers: what one changes, every other sees at once.

Eviction, revocation and throttling live in Redis (and PostgreSQL), never in one process's memory,
so they hold whichever worker or instance a request lands on. Each check below sends its requests
over fresh connections to both instances, so the kernel spreads them over the workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.catalog_flows import create_product
from tests.e2e.identity_flows import PASSWORD, bearer
from tests.faults.conftest import marketplace
from tests.faults.processes import KillableRedis, RestartablePostgres, Serve

pytestmark = pytest.mark.slow

TRIES_PER_PROCESS = 6


@pytest.fixture(scope="module")
def two_workers(fault_postgres: RestartablePostgres, fault_redis: KillableRedis, fault_folder: Path) -> Iterator[Serve]:
    server = Serve(database_url=fault_postgres.url, redis_url=fault_redis.url, data_dir=fault_folder, workers=2)
    server.start(timeout=120)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def everywhere(engines, two_workers: Serve, shared_serve: Serve) -> list[str]:
    """The base URLs a request may land on: the two-worker instance and the single-worker one."""
    return [two_workers.base_url, shared_serve.base_url]


async def _on_each(urls: list[str], method: str, path: str, **kwargs: object) -> list[httpx.Response]:
    """The same request, TRIES_PER_PROCESS times per instance, each over a new connection."""

    async def once(url: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            return await http.request(method, path, **kwargs)  # type: ignore[arg-type]

    return list(await asyncio.gather(*(once(url) for url in urls for _ in range(TRIES_PER_PROCESS))))


async def _log_in(url: str, username: str, password: str = PASSWORD) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return await http.post("/api/v1/auth/login", json={"username": username, "password": password})


async def test_logout_in_one_process_refuses_the_token_in_every_other(setup_client, everywhere):
    world = await marketplace(setup_client, buyers=1, stock=1)
    first, second = everywhere
    tokens = (await _log_in(first, world.buyer_emails[0])).json()
    assert {r.status_code for r in await _on_each(everywhere, "GET", "/api/v1/me", headers=bearer(tokens))} == {200}

    async with httpx.AsyncClient(base_url=second, timeout=30) as http:
        assert (await http.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204

    refused = await _on_each(everywhere, "GET", "/api/v1/me", headers=bearer(tokens))
    assert {r.status_code for r in refused} == {401}


async def test_a_role_change_evicts_the_cached_credentials_in_every_process(setup_client, everywhere):
    world = await marketplace(setup_client, buyers=1, stock=1)
    first, second = everywhere
    email = world.buyer_emails[0]
    # Logged in through both instances: the credentials are cached (login is cache-first).
    old = (await _log_in(first, email)).json()
    assert (await _log_in(second, email)).json()["user"]["role"] == "customer"

    async with httpx.AsyncClient(base_url=second, timeout=30) as http:
        changed = await http.patch(
            f"/api/v1/admin/users/{old['user']['id']}", json={"role": "support"}, headers=bearer(world.admin)
        )
        assert changed.status_code == 200, changed.text

    stale = await _on_each(everywhere, "GET", "/api/v1/me", headers=bearer(old))
    assert {r.status_code for r in stale} == {401}, "a token minted before the change is refused everywhere"
    fresh = await asyncio.gather(*(_log_in(url, email) for url in everywhere for _ in range(TRIES_PER_PROCESS)))
    assert {r.json()["user"]["role"] for r in fresh} == {"support"}, "no process logs in from a stale cache"

    async with httpx.AsyncClient(base_url=first, timeout=30) as http:
        closed = await http.patch(
            f"/api/v1/admin/users/{old['user']['id']}", json={"is_active": False}, headers=bearer(world.admin)
        )
        assert closed.status_code == 200, closed.text
    after = await asyncio.gather(*(_log_in(url, email) for url in everywhere for _ in range(TRIES_PER_PROCESS)))
    assert all(r.status_code in {401, 403} for r in after), [r.status_code for r in after]


async def test_a_product_change_shows_in_every_process_listing_at_once(setup_client, everywhere):
    world = await marketplace(setup_client, buyers=0, stock=5)
    first, _second = everywhere
    product_id = world.product["id"]
    # Each instance has listed (and cached) the product under its old name.
    before = await _on_each(everywhere, "GET", "/api/v1/products", params={"limit": 100})
    assert all(world.product["name"] in r.text for r in before)
    await _on_each(everywhere, "GET", f"/api/v1/products/{product_id}")

    async with httpx.AsyncClient(base_url=first, timeout=30) as http:
        renamed = await http.patch(
            f"/api/v1/merchants/{world.store.id}/products/{product_id}",
            json={"name": "Nombre nuevo en todas partes"},
            headers=bearer(world.store.manager),
        )
        assert renamed.status_code == 200, renamed.text

    listings = await _on_each(everywhere, "GET", "/api/v1/products", params={"limit": 100})
    pages = await _on_each(everywhere, "GET", f"/api/v1/products/{product_id}")
    for response in [*listings, *pages]:
        assert response.status_code == 200
        assert "Nombre nuevo en todas partes" in response.text
        assert world.product["name"] not in response.text

    # A new product shows in every process's (cached) listing too.
    added = await create_product(
        setup_client, world.store.id, world.store.manager, world.product["category_id"], name="Recién llegado"
    )
    listings = await _on_each(everywhere, "GET", "/api/v1/products", params={"limit": 100})
    assert all(added["id"] in r.text for r in listings)


async def test_the_login_throttle_counts_failures_from_every_process(setup_client, everywhere):
    world = await marketplace(setup_client, buyers=1, stock=1)
    email = world.buyer_emails[0]
    statuses = []
    for attempt in range(12):  # alternate instances; sequential, so the count is exact
        response = await _log_in(everywhere[attempt % 2], email, password="not-the-password-at-all")
        statuses.append(response.status_code)
    first_refusal = statuses.index(429) if 429 in statuses else None
    # 5 failures per account (ThrottleLimits.per_username): counted per process, the two instances
    # (three workers) would allow 10 to 15 before refusing.
    assert first_refusal is not None, statuses
    assert first_refusal <= 5, statuses
    assert set(statuses[first_refusal:]) == {429}, statuses

    refused = await asyncio.gather(
        *(
            _log_in(url, email, password="still-not-the-password")
            for url in everywhere
            for _ in range(TRIES_PER_PROCESS)
        )
    )
    assert {r.status_code for r in refused} == {429}
    assert all(int(r.headers["retry-after"]) > 0 for r in refused)
