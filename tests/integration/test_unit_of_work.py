from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from adapters.postgres import SqlaUnitOfWork, create_session_factory


async def _table_exists(engine, name: str) -> bool:
    async with engine.connect() as connection:
        found = await connection.scalar(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name})
    return bool(found)


@pytest.fixture
async def scratch_table(engine):
    yield "uow_probe"
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS uow_probe"))


async def test_nothing_is_written_unless_the_use_case_commits(engine, scratch_table):
    async with SqlaUnitOfWork(create_session_factory(engine), lambda: datetime.now(UTC)) as uow:
        await uow.session.execute(text(f"CREATE TABLE {scratch_table} (id int)"))
    assert not await _table_exists(engine, scratch_table)


async def test_an_error_rolls_back_everything(engine, scratch_table):
    async def failing_use_case() -> None:
        async with SqlaUnitOfWork(create_session_factory(engine), lambda: datetime.now(UTC)) as uow:
            await uow.session.execute(text(f"CREATE TABLE {scratch_table} (id int)"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await failing_use_case()
    assert not await _table_exists(engine, scratch_table)


async def test_commit_makes_the_change_durable(engine, scratch_table):
    async with SqlaUnitOfWork(create_session_factory(engine), lambda: datetime.now(UTC)) as uow:
        await uow.session.execute(text(f"CREATE TABLE {scratch_table} (id int)"))
        await uow.commit()
    assert await _table_exists(engine, scratch_table)
