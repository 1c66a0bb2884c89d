"""Issue 13, defect 9 over HTTP: wrong passwords from one address do not lock the owner out (ADR 0014)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from tests.conftest import standard_limits
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import PASSWORD, active_customer, create_admin, log_in


@asynccontextmanager
async def from_address(app, address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


async def _login(client: httpx.AsyncClient, username: str, password: str, hint: str | None = None) -> httpx.Response:
    body = {"username": username, "password": password} | ({"session_hint": hint} if hint else {})
    return await client.post("/api/v1/auth/login", json=body)


async def test_an_attacker_at_one_address_does_not_lock_the_owner_out(settings):
    async with app_client(standard_limits(settings)) as client:
        person = await active_customer(client, await log_in(client, (await create_admin(client))["email"]))
        async with from_address(client.app, "203.0.113.66") as attacker:
            statuses = [(await _login(attacker, person["email"], f"guess-{n}-abcdef")).status_code for n in range(7)]
            assert statuses[:5] == [401] * 5
            assert statuses[5:] == [429, 429]
        async with from_address(client.app, "198.51.100.7") as owner:
            assert (await _login(owner, person["phone"], PASSWORD)).status_code == 200


async def test_past_the_account_ceiling_a_known_device_still_logs_in(settings):
    limited = standard_limits(settings, login_failures_per_account="10/3600")
    async with app_client(limited) as client:
        person = await active_customer(client, await log_in(client, (await create_admin(client))["email"]))
        earlier = await log_in(client, person["email"])  # the owner's device, some time ago
        for n in range(10):
            async with from_address(client.app, f"203.0.113.{n}") as attacker:
                assert (await _login(attacker, person["email"], "wrong-password-1")).status_code == 401
        async with from_address(client.app, "198.51.100.7") as owner:
            closed = await _login(owner, person["email"], PASSWORD)
            assert closed.status_code == 429
            assert closed.headers["content-type"].startswith("application/problem+json")
            known = await _login(owner, person["email"], PASSWORD, hint=earlier["refresh_token"])
            assert known.status_code == 200, known.text
