"""Real engines for integration and e2e tests, started once per test session.

``COMMERCE_TEST_DATABASE_URL`` / ``COMMERCE_TEST_REDIS_URL`` point at servers to
use; otherwise the embedded engines start in a temporary data folder. Either
way the session gets its own freshly migrated database, and every test that
touches the database or Redis starts from empty tables and an empty Redis db.
Unit tests ask for none of these fixtures, so they never start a server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.postgres import create_database_engine, migrator
from adapters.postgres.tables import metadata
from adapters.redis import create_redis_client
from entrypoints.limits import RateLimitTable, parse_limit
from entrypoints.settings import Settings, load_settings


@dataclass(frozen=True)
class TestServers:
    database_server_url: str
    redis_url: str


@pytest.fixture(scope="session")
def test_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServers]:
    database_url = os.environ.get("COMMERCE_TEST_DATABASE_URL")
    redis_url = os.environ.get("COMMERCE_TEST_REDIS_URL")
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    data_dir = tmp_path_factory.mktemp("engines")
    if not database_url:
        postgres = EmbeddedPostgres(data_dir)
        database_url = postgres.start()
        started.append(postgres)
    if not redis_url:
        redis = EmbeddedRedis(data_dir)
        redis_url = redis.start()
        started.append(redis)
    try:
        yield TestServers(
            database_server_url=load_settings({"COMMERCE_DATABASE_URL": database_url}, None).require_database_url(),
            redis_url=redis_url,
        )
    finally:
        for server in reversed(started):
            server.stop()


def _asyncpg_dsn(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(test_servers: TestServers) -> Iterator[str]:
    """A database of this test session's own, migrated to head, dropped at the end."""
    server_url = make_url(test_servers.database_server_url)
    name = f"commerce_test_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(test_servers.database_server_url))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    migrator.upgrade(url)
    try:
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def redis_url(test_servers: TestServers) -> str:
    return test_servers.redis_url


@pytest.fixture(scope="session")
async def session_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_database_engine(database_url)
    yield engine
    await engine.dispose()


async def _truncate_all(engine: AsyncEngine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    if tables:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def engine(session_engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The session's engine, on empty tables."""
    await _truncate_all(session_engine)
    yield session_engine
    await _truncate_all(session_engine)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client on an empty Redis db."""
    client = create_redis_client(redis_url)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def settings(database_url: str, redis_url: str, engine: AsyncEngine, redis: Redis, tmp_path: Path) -> Settings:
    """Settings for an app on the test servers, with empty tables and an empty Redis db."""
    return load_settings(
        {
            "COMMERCE_DATABASE_URL": database_url,
            "COMMERCE_REDIS_URL": redis_url,
            "COMMERCE_DATA_DIR": str(tmp_path),
            "COMMERCE_LOG_LEVEL": "WARNING",
            # Every test client is one address: the limits x1,000. Tests of the limits use `standard_limits`.
            "COMMERCE_RATE_LIMITS": "relaxed",
        },
        dotenv=None,
    )


def standard_limits(settings: Settings, **overrides: str) -> Settings:
    """``settings`` with the standard rate limits, each override given as ``name="<count>/<seconds>"``."""
    table = RateLimitTable().with_overrides({name: parse_limit(name, raw) for name, raw in overrides.items()})
    return dataclasses.replace(settings, rate_limits=table)
