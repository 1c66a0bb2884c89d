"""Issue 13, defect 12: activation codes are masked in /admin/outbox for everyone outside development."""

import dataclasses

import pytest

from entrypoints.settings import Environment
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import bearer, create_admin, log_in, new_person
from tests.e2e.support_flows import support_agent


@pytest.mark.parametrize("reader", ["admin", "support"])
async def test_no_staff_reader_sees_an_activation_code_outside_development(settings, reader):
    production = dataclasses.replace(
        settings, env=Environment.PRODUCTION, secret_key="p" * 40, console_notifications=False
    )
    async with app_client(production) as client:
        admin = await log_in(client, (await create_admin(client))["email"])
        tokens = admin if reader == "admin" else await support_agent(client, admin)
        person = new_person()
        assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202
        listed = await client.get(
            "/api/v1/admin/outbox",
            params={"recipient": person["email"], "kind": "account_activation_code"},
            headers=bearer(tokens),
        )
    assert listed.status_code == 200
    [message] = listed.json()["items"]
    assert message["payload"]["code"] == "••••••"
    assert message["payload"]["expires_at"]  # the rest of the message is still there


async def test_development_shows_the_code_for_local_testing(client):
    admin = await log_in(client, (await create_admin(client))["email"])
    person = new_person()
    await client.post("/api/v1/auth/signup", json=person)
    listed = await client.get("/api/v1/admin/outbox", params={"recipient": person["email"]}, headers=bearer(admin))
    assert listed.json()["items"][0]["payload"]["code"].isdigit()
