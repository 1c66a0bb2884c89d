"""Steps of the catalog flows, shared by the e2e tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from httpx import AsyncClient

from tests.e2e.identity_flows import active_customer, bearer, log_in

_numbers = itertools.count(1)


@dataclass
class Store:
    id: str
    manager: dict
    manager_person: dict[str, str]


async def open_store(client: AsyncClient, admin_tokens: dict, name: str | None = None) -> Store:
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    n = next(_numbers)
    applied = await client.post(
        "/api/v1/merchants",
        json={
            "name": name or f"Tienda {n}",
            "legal_id": f"900{n:06d}-1",
            "description": "Productos de calidad",
            "contact_email": person["email"],
        },
        headers=bearer(tokens),
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["status"] == "pending"
    merchant_id = applied.json()["id"]
    approved = await client.post(f"/api/v1/admin/merchants/{merchant_id}/approve", headers=bearer(admin_tokens))
    assert approved.status_code == 200, approved.text
    manager = await log_in(client, person["email"])  # the role changed: a fresh login carries it
    assert manager["user"]["role"] == "merchant_manager"
    return Store(id=merchant_id, manager=manager, manager_person=person)


async def add_staff(client: AsyncClient, store: Store, admin_tokens: dict) -> dict:
    person = await active_customer(client, admin_tokens)
    added = await client.post(
        f"/api/v1/merchants/{store.id}/staff", json={"email": person["email"]}, headers=bearer(store.manager)
    )
    assert added.status_code == 201, added.text
    return await log_in(client, person["email"])


async def create_category(client: AsyncClient, admin_tokens: dict, name: str, parent_id: str | None = None) -> dict:
    body = {"name": name} | ({"parent_id": parent_id} if parent_id else {})
    response = await client.post("/api/v1/admin/categories", json=body, headers=bearer(admin_tokens))
    assert response.status_code == 201, response.text
    return response.json()


def product_body(category: str, **overrides: object) -> dict:
    n = next(_numbers)
    return {
        "sku": f"SKU-{n}",
        "name": f"Producto {n}",
        "description": "Hecho a mano",
        "price": {"amount_minor": 150_000, "currency": "COP"},
        "stock": 10,
        "category_id": category,
        "images": ["https://img.example.com/1.jpg"],
        "status": "active",
    } | overrides


async def create_product(
    client: AsyncClient, store_id: str, tokens: dict, category_id: str, **overrides: object
) -> dict:
    response = await client.post(
        f"/api/v1/merchants/{store_id}/products", json=product_body(category_id, **overrides), headers=bearer(tokens)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def public_ids(client: AsyncClient, **params: str | int) -> list[str]:
    response = await client.get("/api/v1/products", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
