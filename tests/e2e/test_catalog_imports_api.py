"""Catalog files uploaded to the API: stored, claimed by workers under a lease, imported once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from application.catalog.import_catalog import ImportCatalog
from domain.catalog.imports import CatalogImportId
from entrypoints.container import Container
from tests.e2e.buying_flows import counts, scalar
from tests.e2e.catalog_flows import create_category, open_store
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import bearer, create_admin, log_in
from tests.e2e.import_flows import commerce, csv_text, read_report, row, write_csv
from tests.e2e.test_catalog_files import ledger_matches_stock


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


@pytest.fixture
async def store(client, admin_tokens):
    return await open_store(client, admin_tokens)


@pytest.fixture
async def slug(client, admin_tokens):
    return (await create_category(client, admin_tokens, "Morrales"))["slug"]


async def upload(client, store, text: str, tokens=None, name="products.csv"):
    return await client.post(
        f"/api/v1/merchants/{store.id}/imports",
        files={"file": (name, text.encode("utf-8"), "text/csv")},
        headers=bearer(tokens or store.manager),
    )


async def test_an_upload_is_stored_then_a_worker_imports_it_and_reports_bad_rows(client, settings, store, slug):
    rows = [row(n, slug) for n in range(1, 6)]
    rows[1] = row(2, slug, price_minor=0)  # line 3
    accepted = await upload(client, store, csv_text(rows))

    assert accepted.status_code == 202, accepted.text
    location = accepted.headers["location"]
    assert location == f"/api/v1/merchants/{store.id}/imports/{accepted.json()['id']}"
    assert accepted.json()["status"] == "pending"
    assert await counts(client, "products") == {"products": 0}  # the upload only stores the file

    worked = await commerce(settings, "jobs", "process-imports", "--once")

    assert worked.exit_code == 0, worked.output
    assert "processed 1 imports" in worked.output
    status = (await client.get(location, headers=bearer(store.manager))).json()
    assert status["status"] == "done"
    assert status["counts"] == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 1}
    assert status["errors"] == [
        {"line": 3, "column": "price_minor", "message": "a price is a positive whole number of minor units"}
    ]
    assert await counts(client, "products") == {"products": 4}

    again = await upload(client, store, csv_text(rows))
    await client.app.state.container.catalog.process_next_import()
    second = (await client.get(again.headers["location"], headers=bearer(store.manager))).json()
    assert second["counts"] == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 1}


async def test_only_the_stores_people_upload_and_read_its_imports(client, admin_tokens, store, slug):
    other = await open_store(client, admin_tokens)
    refused = await upload(client, store, csv_text([row(1, slug)]), tokens=other.manager)
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")
    accepted = await upload(client, store, csv_text([row(1, slug)]))
    hidden = await client.get(accepted.headers["location"], headers=bearer(other.manager))
    assert hidden.status_code == 404
    assert await counts(client, "catalog_imports") == {"catalog_imports": 1}


async def test_an_empty_file_is_refused_naming_the_field(client, store):
    refused = await upload(client, store, "")
    assert refused.status_code == 422
    assert refused.json()["field"] == "file"


async def test_a_file_over_the_size_limit_is_a_413_problem(settings, admin_tokens, client):
    store = await open_store(client, admin_tokens)
    small = dataclasses.replace(settings, import_max_bytes=2_000)
    async with app_client(small) as limited:
        refused = await upload(limited, store, "x" * 3_000)
        assert refused.status_code == 413
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["status"] == 413
    assert await counts(client, "catalog_imports") == {"catalog_imports": 0}


async def test_the_cli_the_api_and_the_worker_run_the_one_import_use_case(client, store, slug, tmp_path, monkeypatch):
    container: Container = client.app.state.container
    settings = container.settings
    assert container.catalog.process_next_import.import_catalog is container.catalog.import_catalog
    calls: list[str] = []
    original = ImportCatalog.__call__

    async def recording(self, command):
        calls.append(type(command.rejected).__name__)
        return await original(self, command)

    monkeypatch.setattr(ImportCatalog, "__call__", recording)
    rows = [row(1, slug), row(2, slug, images="not a url"), row(3, slug, stock="many")]

    file = write_csv(tmp_path / "p.csv", rows)
    by_cli = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)
    accepted = await upload(client, store, csv_text(rows))
    await container.catalog.process_next_import()  # what `commerce worker` runs per tick

    assert calls == ["ErrorReport", "_ErrorList"]
    assert "1 created" in by_cli.output
    by_api = (await client.get(accepted.headers["location"], headers=bearer(store.manager))).json()
    assert [(e["line"], e["column"], e["message"]) for e in by_api["errors"]] == read_report(tmp_path / "p.errors.csv")
    # ... and the messages are those the API gives for the same values.
    created = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json={
            "sku": "API-1",
            "name": "Morral",
            "description": "",
            "price": {"amount_minor": 1000, "currency": "COP"},
            "stock": 1,
            "category_id": (await client.get("/api/v1/categories")).json()[0]["id"],
            "images": ["not a url"],
        },
        headers=bearer(store.manager),
    )
    assert created.status_code == 422
    assert created.json()["detail"] == by_api["errors"][0]["message"]


async def test_two_workers_never_take_the_same_file(client, settings, store, slug):
    await upload(client, store, csv_text([row(n, slug, stock=3) for n in range(1, 301)]))
    async with app_client(settings) as second:
        results = await asyncio.gather(
            client.app.state.container.catalog.process_next_import(),
            second.app.state.container.catalog.process_next_import(),
        )
    assert sorted(result is None for result in results) == [False, True]
    assert await counts(client, "products", "stock_movements") == {"products": 300, "stock_movements": 300}


async def test_a_lease_that_expires_is_taken_over_and_the_import_happens_once(client, store, slug):
    container: Container = client.app.state.container
    rows = [row(n, slug, stock=5) for n in range(1, 21)]
    accepted = await upload(client, store, csv_text(rows))
    import_id = CatalogImportId(uuid.UUID(accepted.json()["id"]))
    # A worker claims the file, imports half of it, and dies.
    async with container.adapters.unit_of_work() as uow:
        crashed = await uow.catalog_imports.claim_next(container.adapters.clock.now(), timedelta(seconds=60))
        await uow.commit()
    assert crashed is not None
    assert crashed.id == import_id
    half = csv_text(rows[:10])
    assert (await upload(client, store, half)).status_code == 202
    assert await container.catalog.process_next_import() is not None  # the half file: 10 products
    assert await container.catalog.process_next_import() is None  # the crashed one is still leased

    async with container.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE catalog_imports SET claimed_until = now() - interval '1 second'")
    retried = await container.catalog.process_next_import()

    assert retried is not None
    assert retried.id == import_id
    assert retried.attempts == 2
    assert (retried.counts.created, retried.counts.unchanged) == (10, 10)
    async with container.adapters.unit_of_work() as uow:
        assert not await uow.catalog_imports.settle(crashed)  # the dead worker's claim is gone
    assert await counts(client, "products", "stock_movements") == {"products": 20, "stock_movements": 20}
    assert await ledger_matches_stock(client)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_a_worker_killed_mid_import_is_replaced_and_the_effect_happens_once(client, settings, store, slug):
    rows = [row(n, slug, stock=2) for n in range(1, 6_001)]
    accepted = await upload(client, store, csv_text(rows))
    location = accepted.headers["location"]
    env = {
        **os.environ,
        "COMMERCE_DATABASE_URL": settings.require_database_url(),
        "COMMERCE_REDIS_URL": settings.require_redis_url(),
        "COMMERCE_LOG_LEVEL": "WARNING",
        "COMMERCE_IMPORT_LEASE_SECONDS": "3",
    }
    worker = subprocess.Popen(  # noqa: ASYNC220 (killed below, never awaited)
        [sys.executable, "-m", "entrypoints.cli", "jobs", "process-imports"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(600):
            if int(await scalar(client, "SELECT count(*) FROM products")) >= 500:
                break
            await asyncio.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    done_before = int(await scalar(client, "SELECT count(*) FROM products"))
    assert 0 < done_before < 6_000
    assert (await client.get(location, headers=bearer(store.manager))).json()["status"] == "running"
    await asyncio.sleep(3.5)  # the dead worker's lease runs out

    taken_over = await commerce(settings, "jobs", "process-imports", "--once")

    assert "processed 1 imports" in taken_over.output, taken_over.output
    status = (await client.get(location, headers=bearer(store.manager))).json()
    assert status["status"] == "done"
    assert status["attempts"] == 2
    assert status["counts"]["created"] + status["counts"]["unchanged"] == 6_000
    assert status["counts"]["unchanged"] >= done_before
    assert await counts(client, "products", "stock_movements") == {"products": 6_000, "stock_movements": 6_000}
    assert await ledger_matches_stock(client)
