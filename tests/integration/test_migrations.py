import asyncio
import uuid

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from adapters.postgres import migrator
from adapters.postgres.tables import metadata


@pytest.fixture
def empty_database(test_servers):
    server = make_url(test_servers.database_server_url)
    name = f"commerce_migrations_{uuid.uuid4().hex[:8]}"
    dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


def _current_revision(url: str) -> str | None:
    async def read() -> str | None:
        connection = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
        try:
            exists = await connection.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
            return await connection.fetchval("SELECT version_num FROM alembic_version") if exists else None
        finally:
            await connection.close()

    return asyncio.run(read())


def test_migrations_go_up_to_head_and_back_down_to_base(empty_database):
    migrator.upgrade(empty_database)
    head = _current_revision(empty_database)
    assert head is not None
    migrator.downgrade(empty_database, "base")
    assert _current_revision(empty_database) is None
    migrator.upgrade(empty_database)
    assert _current_revision(empty_database) == head


async def test_the_models_and_the_migrations_agree(session_engine):
    """Autogenerate finds nothing to do on a database at head: no model change lacks its migration."""
    async with session_engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
        )
    assert differences == []
