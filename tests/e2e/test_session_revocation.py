"""Issue 13, defect 10 over HTTP: sibling access tokens of a revoked session are refused at once."""

import pytest

from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in


@pytest.fixture
async def customer(client):
    admin = await log_in(client, (await create_admin(client))["email"])
    return await active_customer(client, admin)


async def _refreshed(client, tokens: dict) -> dict:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200, response.text
    return response.json()


async def test_logout_with_one_token_refuses_its_siblings(client, customer):
    first = await log_in(client, customer["email"])
    second = await _refreshed(client, first)
    assert (await client.get("/api/v1/me", headers=bearer(first))).status_code == 200
    assert (await client.post("/api/v1/auth/logout", headers=bearer(second))).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(first))).status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 401


async def test_refresh_token_reuse_refuses_every_access_token_of_the_session(client, customer):
    first = await log_in(client, customer["email"])
    second = await _refreshed(client, first)
    reused = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    for tokens in (first, second):
        assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
