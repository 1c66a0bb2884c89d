"""Steps of the identity flows, shared by the e2e tests."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, cast

from httpx import AsyncClient
from sqlalchemy import text

from application.identity.sign_up import SignUpCommand

if TYPE_CHECKING:
    from tests.e2e.conftest import AppClient

PASSWORD = "violet-harbour-71-kite"
_numbers = itertools.count(1)


def new_person() -> dict[str, str]:
    n = next(_numbers)
    return {
        "email": f"person{n}@example.com",
        "phone": f"310{n:07d}",
        "national_id": f"{n:010d}",
        "first_name": "Ana",
        "last_name": "Rojas",
        "password": PASSWORD,
    }


async def create_admin(client: AsyncClient) -> dict[str, str]:
    person = new_person()
    app = cast("AppClient", client).app
    await app.state.container.identity.create_admin(SignUpCommand(**person))
    return person


async def log_in(client: AsyncClient, username: str, password: str = PASSWORD) -> dict:
    response = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def latest_code(client: AsyncClient, staff_tokens: dict, email: str) -> str:
    response = await client.get(
        "/api/v1/admin/outbox",
        params={"recipient": email, "kind": "account_activation_code"},
        headers=bearer(staff_tokens),
    )
    assert response.status_code == 200, response.text
    code = response.json()["items"][0]["payload"]["code"]
    if code.isdigit():
        return code
    # Masked outside development (issue 13): the test reads the stored message, as the mailer would.
    async with cast("AppClient", client).app.state.container.adapters.session_factory() as session:
        return await session.scalar(
            text(
                "SELECT payload->>'code' FROM notifications_outbox WHERE recipient = :email "
                "AND kind = 'account_activation_code' ORDER BY id DESC LIMIT 1"
            ),
            {"email": email},
        )


async def active_customer(client: AsyncClient, staff_tokens: dict) -> dict[str, str]:
    person = new_person()
    assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202
    code = await latest_code(client, staff_tokens, person["email"])
    response = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": code})
    assert response.status_code == 200, response.text
    return person
