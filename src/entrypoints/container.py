"""The composition root: builds adapters and use cases, shared by HTTP, the CLI and the jobs."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.postgres import PostgresProbe, SqlaUnitOfWork, create_database_engine, create_session_factory
from adapters.redis import RedisProbe, create_redis_client
from application.check_readiness import CheckReadiness
from entrypoints.settings import Settings


@dataclass(slots=True)
class Container:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis

    @classmethod
    def create(cls, settings: Settings) -> Container:
        engine = create_database_engine(settings.require_database_url())
        return cls(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
            redis=create_redis_client(settings.require_redis_url()),
        )

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()

    def unit_of_work(self) -> SqlaUnitOfWork:
        return SqlaUnitOfWork(self.session_factory)

    def check_readiness(self) -> CheckReadiness:
        return CheckReadiness([PostgresProbe(self.engine), RedisProbe(self.redis)])
