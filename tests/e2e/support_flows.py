"""Steps of the support desk flows, shared by the e2e tests."""

from __future__ import annotations

from httpx import AsyncClient

from tests.e2e.buying_flows import catalog, check_out, customers, pay, put_in_cart, store_with_product
from tests.e2e.catalog_flows import Store
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
    ticket = response.json()["ticket"]
    assert response.headers["Location"] == f"/api/v1/tickets/{ticket['id']}"
    return ticket


async def audit_events(client: AsyncClient, admin_tokens: dict, **filters: str) -> list[dict]:
    response = await client.get("/api/v1/admin/audit", params=filters | {"limit": 100}, headers=bearer(admin_tokens))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def bought_order(client, admin_tokens) -> tuple[dict, Store, dict]:
    """A customer who paid for one product of a fresh store: (the buyer's tokens, the store, the order)."""
    shop = await catalog(client, admin_tokens)
    store, product = await store_with_product(client, admin_tokens, shop, price=50_000, stock=5)
    [buyer] = await customers(client, 1)
    assert (await put_in_cart(client, buyer, product["id"], 1)).status_code == 200
    placed = await check_out(client, buyer)
    assert placed.status_code == 201, placed.text
    paid = await pay(client, buyer, placed.json()["id"])
    assert paid.status_code == 200, paid.text
    [order] = placed.json()["orders"]
    return buyer, store, order
