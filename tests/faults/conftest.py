"""Private engines for the fault tests, and a small marketplace on them built through the app."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from adapters.postgres import migrator
from entrypoints.settings import Settings, load_settings
from tests.e2e.buying_flows import catalog, customers, store_with_product
from tests.e2e.catalog_flows import Store
from tests.e2e.conftest import AppClient, app_client
from tests.e2e.identity_flows import create_admin, log_in
from tests.faults.processes import KillableRedis, RestartablePostgres, Serve, private_folder


@pytest.fixture(scope="session")
def fault_folder() -> Iterator[Path]:
    with private_folder("commerce-faults-") as folder:
        yield folder


@pytest.fixture(scope="session")
def fault_postgres(fault_folder: Path) -> Iterator[RestartablePostgres]:
    postgres = RestartablePostgres(fault_folder / "engines")
    migrator.upgrade(postgres.start())
    try:
        yield postgres
    finally:
        postgres.stop()


@pytest.fixture(scope="session")
def fault_redis() -> Iterator[KillableRedis]:
    redis = KillableRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()


Engines = tuple[RestartablePostgres, KillableRedis]


@pytest.fixture
def engines(fault_postgres: RestartablePostgres, fault_redis: KillableRedis) -> Engines:
    """Both engines up, whatever the test before did to them."""
    if fault_redis.is_running:
        fault_redis.thaw()
    else:
        fault_redis.start()
    return fault_postgres, fault_redis


@pytest.fixture(scope="session")
def shared_serve(
    fault_postgres: RestartablePostgres, fault_redis: KillableRedis, fault_folder: Path
) -> Iterator[Serve]:
    """One `commerce serve` for the whole package: starting a process costs seconds, so tests share it.

    A test that breaks an engine brings it back and waits until this process says ready again.
    """
    server = Serve(database_url=fault_postgres.url, redis_url=fault_redis.url, data_dir=fault_folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fault_settings(engines: Engines, fault_folder: Path) -> Settings:
    postgres, redis = engines
    return load_settings(
        {
            "COMMERCE_DATABASE_URL": postgres.url,
            "COMMERCE_REDIS_URL": redis.url,
            "COMMERCE_DATA_DIR": str(fault_folder),
            "COMMERCE_LOG_LEVEL": "WARNING",
        },
        dotenv=None,
    )


@pytest.fixture
async def setup_client(fault_settings: Settings) -> AsyncIterator[AppClient]:
    """The app in this process, on the private engines: builds the data the served processes then face."""
    async with app_client(fault_settings) as client:
        yield client


@dataclass
class Marketplace:
    admin: dict
    store: Store
    product: dict
    buyers: list[dict]
    buyer_emails: list[str]


async def marketplace(client: AppClient, *, buyers: int, stock: int, price: int = 10_000) -> Marketplace:
    admin = await create_admin(client)
    admin_tokens = await log_in(client, admin["email"])
    shop = await catalog(client, admin_tokens)
    store, product = await store_with_product(client, admin_tokens, shop, price=price, stock=stock)
    logged_in = await customers(client, buyers)
    return Marketplace(
        admin=admin_tokens,
        store=store,
        product=product,
        buyers=logged_in,
        buyer_emails=[tokens["user"]["email"] for tokens in logged_in],
    )


@pytest.fixture
def serve_factory(engines: Engines, fault_folder: Path) -> Iterator[type[Serve]]:
    """Start `commerce serve` processes on the private engines; all are stopped after the test."""
    postgres, redis = engines
    started: list[Serve] = []

    class _Serve(Serve):
        def __init__(self, workers: int = 1) -> None:
            super().__init__(database_url=postgres.url, redis_url=redis.url, data_dir=fault_folder, workers=workers)
            started.append(self)

    yield _Serve
    for server in started:
        server.stop()


async def wait_until_ready(http: httpx.AsyncClient) -> dict:
    """Poll /ready until it says ``ready`` (the engines are back and this process sees them)."""
    deadline = time.monotonic() + 30
    body: dict = {}
    while time.monotonic() < deadline:
        try:
            response = await http.get("/ready")
            body = response.json()
            if response.status_code == 200 and body["status"] == "ready":
                return body
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"/ready did not say ready within 30 s: {body}")


def dsn(url: str) -> str:
    """The asyncpg DSN of a SQLAlchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://")
