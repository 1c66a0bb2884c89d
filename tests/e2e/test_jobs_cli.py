"""`commerce jobs relay-outbox`, `commerce jobs purge` and `commerce reports sales` on real PostgreSQL (and SMTP)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.console import LogNotificationSender
from adapters.postgres import create_database_engine
from application.ports import Notification
from entrypoints.cli import main
from entrypoints.container import Container
from tests.e2e.buying_flows import catalog, check_out, customers, pay, put_in_cart, scalar, store_with_product
from tests.e2e.identity_flows import bearer, create_admin, log_in


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(settings, **extra: str) -> dict[str, str]:
    return {
        "COMMERCE_DATABASE_URL": settings.require_database_url(),
        "COMMERCE_REDIS_URL": settings.require_redis_url(),
        "COMMERCE_LOG_LEVEL": "WARNING",
        **extra,
    }


async def _invoke(arguments: list[str], environment: dict[str, str]):
    result = await asyncio.to_thread(CliRunner().invoke, main, arguments, env=environment)
    assert result.exit_code == 0, result.output
    return result


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.mails.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


async def test_relay_outbox_mails_each_pending_message_once_through_smtp(settings, inbox):
    handler, port = inbox
    container = Container.create(settings)
    try:
        async with container.adapters.unit_of_work() as uow:
            for n in range(3):
                await uow.outbox.notify(
                    Notification(recipient=f"ana{n}@example.com", kind="account_activation", payload={"code": f"90{n}"})
                )
            await uow.commit()
    finally:
        await container.close()
    environment = _environment(settings, COMMERCE_SMTP_URL=f"smtp://127.0.0.1:{port}", COMMERCE_SMTP_FROM="shop@x.co")

    first = await _invoke(["jobs", "relay-outbox"], environment)
    again = await _invoke(["jobs", "relay-outbox", "--once"], environment)

    assert "delivered 3 notifications; 0 failed" in first.output
    assert "delivered 0 notifications" in again.output
    assert sorted(rcpt for rcpts, _ in handler.mails for rcpt in rcpts) == [f"ana{n}@example.com" for n in range(3)]
    assert all("Subject: Account activation" in body and "From: shop@x.co" in body for _, body in handler.mails)
    assert any("code: 901" in body for _, body in handler.mails)
    async with _engine(settings) as connection:
        rows = (await connection.execute(text("SELECT sent_at, attempts FROM notifications_outbox"))).all()
    assert [(sent_at is not None, attempts) for sent_at, attempts in rows] == [(True, 1)] * 3


@asynccontextmanager
async def _engine(settings) -> AsyncIterator[AsyncConnection]:
    engine = create_database_engine(settings.require_database_url())
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


async def test_a_mail_server_that_refuses_leaves_the_message_pending_with_its_error(settings):
    container = Container.create(settings)
    try:
        async with container.adapters.unit_of_work() as uow:
            await uow.outbox.notify(Notification(recipient="ana@example.com", kind="order_paid"))
            await uow.commit()
    finally:
        await container.close()
    closed_port = _free_port()  # nothing listens there
    result = await _invoke(
        ["jobs", "relay-outbox"], _environment(settings, COMMERCE_SMTP_URL=f"smtp://127.0.0.1:{closed_port}")
    )
    assert "delivered 0 notifications; 1 failed and will be retried" in result.output
    async with _engine(settings) as connection:
        row = (
            await connection.execute(
                text("SELECT sent_at, attempts, next_attempt_at, last_error FROM notifications_outbox")
            )
        ).one()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=20)
    assert row.last_error


async def test_the_log_channel_names_the_fields_but_never_their_values(caplog):
    with caplog.at_level(logging.INFO, logger="commerce.notifications"):
        await LogNotificationSender().send(
            Notification(recipient="ana@example.com", kind="account_activation", payload={"code": "493817"})
        )
    logged = "\n".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)
    assert "account_activation" in logged
    assert "code" in logged
    assert "493817" not in logged


async def test_purge_deletes_only_what_has_expired_in_batches_and_prints_counts(client, settings):
    admin = await create_admin(client)
    user_id = await scalar(client, "SELECT id FROM users WHERE email = :e", e=admin["email"])
    now = datetime.now(UTC)
    old, recent, future = now - timedelta(days=40), now - timedelta(days=1), now + timedelta(days=1)
    async with client.app.state.container.engine.begin() as connection:
        for n, expires in enumerate([old, old, old, future]):
            await connection.execute(
                text(
                    "INSERT INTO refresh_tokens"
                    " (id, family_id, user_id, token_digest, created_at, expires_at, spent_at)"
                    " VALUES (gen_random_uuid(), gen_random_uuid(), :u, :d, :c, :e, :s)"
                ),
                {"u": user_id, "d": f"digest-{n}", "c": old, "e": expires, "s": now if n == 3 else None},
            )
        for n, expires in enumerate([old, recent, future]):
            await connection.execute(
                text("INSERT INTO revoked_access_tokens (token_id, expires_at) VALUES (:t, :e)"),
                {"t": f"jti-{n}", "e": expires},
            )
        for n, keep in enumerate([old, future]):
            await connection.execute(
                text(
                    "INSERT INTO idempotency_keys (owner_id, key, fingerprint, created_at, keep_until)"
                    " VALUES (:u, :k, 'f', :c, :e)"
                ),
                {"u": user_id, "k": f"key-{n}", "c": old, "e": keep},
            )
        await connection.execute(
            text(
                "INSERT INTO activation_codes (user_id, code_digest, expires_at, attempts_left) VALUES (:u, 'x', :e, 3)"
            ),
            {"u": user_id, "e": recent},
        )
        for n, sent in enumerate([old, old, recent, None]):
            await connection.execute(
                text(
                    "INSERT INTO notifications_outbox (id, recipient, kind, payload, created_at, sent_at)"
                    " VALUES (gen_random_uuid(), :r, 'k', '{}', :c, :s)"
                ),
                {"r": f"r{n}@example.com", "c": old, "s": sent},
            )

    result = await _invoke(["jobs", "purge", "--batch-size", "2"], _environment(settings))

    assert (
        "purged 3 refresh tokens, 2 revoked access tokens, 1 idempotency keys, 1 activation codes, 2 sent notifications"
    ) in result.output
    assert await scalar(client, "SELECT count(*) FROM refresh_tokens") == 1  # spent but not expired: kept
    assert await scalar(client, "SELECT count(*) FROM revoked_access_tokens") == 1
    assert await scalar(client, "SELECT count(*) FROM idempotency_keys") == 1
    assert await scalar(client, "SELECT count(*) FROM activation_codes") == 0
    assert await scalar(client, "SELECT count(*) FROM notifications_outbox WHERE sent_at IS NULL") == 1  # never
    assert await scalar(client, "SELECT count(*) FROM notifications_outbox") == 2
    again = await _invoke(["jobs", "purge"], _environment(settings))
    assert "purged 0 refresh tokens, 0 revoked access tokens, 0 idempotency keys" in again.output


async def test_sales_report_per_day_counts_paid_orders_units_money_and_refunds(client, settings):
    admin = await create_admin(client)
    admin_tokens = await log_in(client, admin["email"])
    shop = await catalog(client, admin_tokens)
    store, boots = await store_with_product(client, admin_tokens, shop, price=10_000, stock=20)
    _, hat = await store_with_product(client, admin_tokens, shop, price=5_000, stock=20)
    ana, luis, eva = await customers(client, 3)
    orders = []
    for buyer, quantity in ((ana, 2), (luis, 3), (eva, 1)):
        await put_in_cart(client, buyer, boots["id"], quantity)
        await put_in_cart(client, buyer, hat["id"], 1)  # another store's: never in this report
        checkout = (await check_out(client, buyer)).json()
        if buyer is not eva:  # eva never pays: no sale
            assert (await pay(client, buyer, checkout["id"])).status_code == 200
        orders.append(next(order for order in checkout["orders"] if order["merchant_id"] == store.id))
    refunded = await client.post(
        f"/api/v1/admin/orders/{orders[1]['id']}/refund", json={"reason": "broken"}, headers=bearer(admin_tokens)
    )
    assert refunded.status_code == 200, refunded.text
    # Yesterday's invoice of ana's order moves to yesterday, to see two days.
    async with client.app.state.container.engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE invoices DISABLE TRIGGER USER")
        await connection.execute(
            text(
                "UPDATE invoices SET issued_at = issued_at - interval '1 day' WHERE order_id = :o AND kind = 'invoice'"
            ),
            {"o": orders[0]["id"]},
        )
        await connection.exec_driver_sql("ALTER TABLE invoices ENABLE TRIGGER USER")
    today = datetime.now(UTC).date()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    period = ["--merchant", store.id, "--from", before.isoformat(), "--to", today.isoformat()]

    as_json = json.loads(
        (await _invoke(["reports", "sales", *period, "--format", "json"], _environment(settings))).output
    )
    as_csv = list(
        csv.DictReader(io.StringIO((await _invoke(["reports", "sales", *period], _environment(settings))).output))
    )

    tax = 1900  # 19 % of 10,000 per unit
    assert as_json == [
        {"day": before.isoformat(), "currency": "COP", "orders": 0, "units": 0, "gross_minor": 0, "tax_minor": 0,
         "refunds_minor": 0},
        {"day": yesterday.isoformat(), "currency": "COP", "orders": 1, "units": 2, "gross_minor": 2 * (10_000 + tax),
         "tax_minor": 2 * tax, "refunds_minor": 0},
        {"day": today.isoformat(), "currency": "COP", "orders": 1, "units": 3, "gross_minor": 3 * (10_000 + tax),
         "tax_minor": 3 * tax, "refunds_minor": 3 * (10_000 + tax)},
    ]  # fmt: skip
    assert [{key: str(value) for key, value in row.items()} for row in as_json] == as_csv


async def test_sales_report_refuses_a_period_that_ends_before_it_starts(settings):
    result = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        [
            "reports",
            "sales",
            "--merchant",
            "0190a000-0000-7000-8000-000000000000",
            "--from",
            "2026-02-02",
            "--to",
            "2026-02-01",
        ],
        env=_environment(settings),
    )
    assert result.exit_code == 1
    assert "the last day is before the first (to)" in result.output
