"""Steps of the support desk flows, shared by the e2e tests."""

from __future__ import annotations

from httpx import AsyncClient

from tests.e2e.identity_flows import active_customer, bearer, log_in


async def support_agent(client: AsyncClient, admin_tokens: dict) -> dict:
    """A fresh account promoted to support, logged in again so its token carries the role."""
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    promoted = await client.patch(
        f"/api/v1/admin/users/{tokens['user']['id']}", json={"role": "support"}, headers=bearer(admin_tokens)
    )
    assert promoted.status_code == 200, promoted.text
    return await log_in(client, person["email"])


async def open_ticket(client: AsyncClient, tokens: dict, **body: object) -> dict:
    payload = {"subject": "Necesito ayuda", "body": "No llega mi pedido", "category": "other"} | body
    response = await client.post("/api/v1/tickets", json=payload, headers=bearer(tokens))
    assert response.status_code == 201, response.text
    return response.json()["ticket"]


async def audit_events(client: AsyncClient, admin_tokens: dict, **filters: str) -> list[dict]:
    response = await client.get("/api/v1/admin/audit", params=filters | {"limit": 100}, headers=bearer(admin_tokens))
    assert response.status_code == 200, response.text
    return response.json()["items"]
