"""Steps of the buying flows, shared by the e2e tests."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from httpx import Response
from sqlalchemy import text

from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.users import User
from tests.e2e.catalog_flows import create_category, create_product, open_store
from tests.e2e.conftest import AppClient
from tests.e2e.identity_flows import PASSWORD, bearer, log_in

ADDRESS = {
    "recipient": "Ana Rojas",
    "line1": "Calle 10 # 5-51",
    "city": "Bogotá",
    "region": "Cundinamarca",
    "postal_code": "110111",
    "country": "CO",
    "phone": "3001234567",
}
_numbers = itertools.count(1)


async def customers(client: AppClient, count: int) -> list[dict]:
    """``count`` active customers, logged in. One password hash for all: argon2 is slow on purpose."""
    adapters = client.app.state.container.adapters
    password_hash = await adapters.hasher.hash(PASSWORD)
    now = adapters.clock.now()
    emails = []
    async with adapters.unit_of_work() as uow:
        for _ in range(count):
            n = next(_numbers)
            email = f"buyer{n}-{uuid.uuid4().hex[:6]}@example.com"
            await uow.users.add(
                User.sign_up(
                    id=UserId(adapters.ids.new_id()),
                    email=Email.parse(email),
                    phone=Phone.parse(f"+57320{n:07d}"),
                    national_id=NationalId.parse(f"77{n:08d}"),
                    first_name="Comprador",
                    last_name=f"Número {n}",
                    password_hash=password_hash,
                    role=Role.CUSTOMER,
                    is_active=True,
                    now=now,
                )
            )
            emails.append(email)
        await uow.commit()
    return list(await asyncio.gather(*(log_in(client, email) for email in emails)))


@dataclass
class Catalog:
    category_id: str


async def catalog(client: AppClient, admin_tokens: dict) -> Catalog:
    category = await create_category(client, admin_tokens, f"Categoría {next(_numbers)}")
    return Catalog(category_id=category["id"])


async def store_with_product(client: AppClient, admin_tokens: dict, shop: Catalog, *, price: int, stock: int):
    store = await open_store(client, admin_tokens)
    product = await create_product(
        client, store.id, store.manager, shop.category_id, price={"amount_minor": price, "currency": "COP"}, stock=stock
    )
    return store, product


async def put_in_cart(client: AppClient, tokens: dict, product_id: str, quantity: int) -> Response:
    return await client.put(f"/api/v1/cart/items/{product_id}", json={"quantity": quantity}, headers=bearer(tokens))


async def check_out(client: AppClient, tokens: dict, key: str | None = None, address: dict | None = None) -> Response:
    headers = bearer(tokens) | {"Idempotency-Key": key or uuid.uuid4().hex}
    return await client.post("/api/v1/checkouts", json={"shipping_address": address or ADDRESS}, headers=headers)


async def pay(client: AppClient, tokens: dict, checkout_id: str, token: str = "tok_visa_ok") -> Response:
    return await client.post(
        f"/api/v1/checkouts/{checkout_id}/payment", json={"method": "card", "token": token}, headers=bearer(tokens)
    )


async def scalar(client: AppClient, sql: str, **params: object) -> Any:
    async with client.app.state.container.engine.connect() as connection:
        return await connection.scalar(text(sql), params)


async def counts(client: AppClient, *tables: str) -> dict[str, int]:
    return {table: int(await scalar(client, f"SELECT count(*) FROM {table}")) for table in tables}  # noqa: S608
