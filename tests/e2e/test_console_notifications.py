"""Development shows each notification in the console; production never logs a code."""

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from entrypoints.settings import Environment, Settings
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import PASSWORD, create_admin, log_in, new_person

NOTIFICATIONS_LOGGER = "commerce.notifications"


@contextmanager
def _capturing_every_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The app configures logging when it is built; listen on the root logger after that, at every level."""
    root = logging.getLogger()
    level = root.level
    root.addHandler(caplog.handler)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(caplog.handler)
        root.setLevel(level)


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)


async def test_in_development_the_activation_code_appears_in_the_log_and_activates_the_account(settings, caplog):
    async with app_client(settings) as client:
        with _capturing_every_log(caplog):
            person = new_person()
            assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202

            [record] = [r for r in caplog.records if r.name == NOTIFICATIONS_LOGGER]
            assert record.recipient == person["email"]
            assert record.kind == "account_activation_code"
            code = record.code
            assert code in record.getMessage()

            response = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": code})
            assert response.status_code == 200, response.text
            await log_in(client, person["email"], PASSWORD)


async def test_a_rolled_back_signup_logs_no_notification(settings, caplog):
    async with app_client(settings) as client:
        with _capturing_every_log(caplog):
            person = new_person()
            assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202
            caplog.clear()
            again = {**new_person(), "email": person["email"]}
            assert (await client.post("/api/v1/auth/signup", json=again)).status_code == 202
    # The taken email's owner is told (that commits); no activation code for the account never made.
    logged = [r.getMessage() for r in caplog.records if r.name == NOTIFICATIONS_LOGGER]
    assert all("account_activation_code" not in message for message in logged)


async def test_production_never_logs_an_activation_code(settings: Settings, caplog):
    production = dataclasses.replace(
        settings, env=Environment.PRODUCTION, secret_key="p" * 40, console_notifications=True
    )
    async with app_client(production) as client:
        with _capturing_every_log(caplog):
            admin = await create_admin(client)
            person = new_person()
            assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202
            assert (
                await client.post("/api/v1/auth/activation-code", json={"email": person["email"]})
            ).status_code == 202
            await log_in(client, admin["email"])
            # The outbox API masks codes outside development (issue 13): read the stored message itself.
            async with client.app.state.container.adapters.session_factory() as session:
                code = await session.scalar(
                    text(
                        "SELECT payload->>'code' FROM notifications_outbox WHERE recipient = :email "
                        "AND kind = 'account_activation_code' ORDER BY id DESC LIMIT 1"
                    ),
                    {"email": person["email"]},
                )

    assert len(code) >= 6
    assert code not in _everything_logged(caplog)
    assert [r for r in caplog.records if r.name == NOTIFICATIONS_LOGGER] == []
