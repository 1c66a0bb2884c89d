"""The outbound adapters of one process: pools, clients, hashers and the clock, built once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.console import ConsoleNotificationSender
from adapters.metrics import PrometheusAuthMetrics, sql_statement_counter
from adapters.postgres import (
    SqlaCatalogReads,
    SqlaUnitOfWork,
    count_statements,
    create_catalog_read_engine,
    create_database_engine,
    create_read_session_factory,
    create_session_factory,
)
from adapters.redis import RedisCatalogCache, RedisCircuit, RedisRateLimiter, create_redis_client
from adapters.security import (
    Argon2PasswordHasher,
    AsyncioPause,
    HmacSecretDigester,
    JwtAccessTokens,
    SystemClock,
    SystemSecretGenerator,
    Uuid7Generator,
    return_large_blocks_to_the_system,
)
from application.ports import NotificationSender
from entrypoints.settings import Environment, Settings


@dataclass(slots=True)
class Adapters:
    """What every bounded context's provider builds its use cases from."""

    settings: Settings
    engine: AsyncEngine
    # The public catalog's reads only: its own few connections (create_catalog_read_engine).
    catalog_read_engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    clock: SystemClock = field(default_factory=SystemClock)
    ids: Uuid7Generator = field(default_factory=Uuid7Generator)
    secrets: SystemSecretGenerator = field(default_factory=SystemSecretGenerator)
    pause: AsyncioPause = field(default_factory=AsyncioPause)
    metrics: PrometheusAuthMetrics = field(default_factory=PrometheusAuthMetrics)
    # One circuit per process: once Redis fails, every adapter falls back at once for a moment.
    redis_circuit: RedisCircuit = field(default_factory=RedisCircuit)
    # Development only: every committed notification is logged (production never logs codes).
    notification_sender: NotificationSender | None = None
    # Counts every SQL statement (COMMERCE_SQL_STATEMENT_METRICS), those that bypass the engine's events too.
    on_sql_statement: Callable[[], None] | None = None
    hasher: Argon2PasswordHasher = field(init=False)
    digester: HmacSecretDigester = field(init=False)
    access_tokens: JwtAccessTokens = field(init=False)
    catalog_cache: RedisCatalogCache = field(init=False)
    rate_limiter: RedisRateLimiter = field(init=False)
    read_session_factory: async_sessionmaker[AsyncSession] = field(init=False)
    _catalog_reads: SqlaCatalogReads = field(init=False)

    def __post_init__(self) -> None:
        argon2 = self.settings.argon2
        self.hasher = Argon2PasswordHasher(
            memory_cost_kib=argon2.memory_cost_kib, time_cost=argon2.time_cost, parallelism=argon2.parallelism
        )
        self.digester = HmacSecretDigester(self.settings.secret_key)
        self.access_tokens = JwtAccessTokens(
            self.settings.secret_key, lifetime_seconds=self.settings.access_token_ttl_seconds
        )
        self.catalog_cache = RedisCatalogCache(self.redis, circuit=self.redis_circuit)
        self.rate_limiter = RedisRateLimiter(self.redis, circuit=self.redis_circuit)
        self.read_session_factory = create_read_session_factory(self.engine)
        self._catalog_reads = SqlaCatalogReads(self.catalog_read_engine, on_statement=self.on_sql_statement)

    @classmethod
    def create(cls, settings: Settings) -> Adapters:
        return_large_blocks_to_the_system()  # argon2's 19 MiB per hash must not stay in the RSS
        engine = create_database_engine(settings.require_database_url())
        catalog_read_engine = create_catalog_read_engine(settings.require_database_url())
        on_sql_statement = sql_statement_counter().inc if settings.sql_statement_metrics else None
        if on_sql_statement is not None:
            count_statements(engine, on_sql_statement)
        return cls(
            settings=settings,
            engine=engine,
            catalog_read_engine=catalog_read_engine,
            session_factory=create_session_factory(engine),
            redis=create_redis_client(settings.require_redis_url()),
            on_sql_statement=on_sql_statement,
            notification_sender=(
                ConsoleNotificationSender()
                if settings.console_notifications and settings.env is Environment.DEVELOPMENT
                else None
            ),
        )

    def unit_of_work(self) -> SqlaUnitOfWork:
        return SqlaUnitOfWork(self.session_factory, self.clock.now, self.notification_sender)

    def read_unit_of_work(self) -> SqlaUnitOfWork:
        """For use cases that only read (public catalog, credential lookups): no transaction round trips."""
        return SqlaUnitOfWork(self.read_session_factory, self.clock.now)

    def catalog_reads(self) -> SqlaCatalogReads:
        """For the public catalog's listings and product pages: Core statements, no session (ADR 0016)."""
        return self._catalog_reads

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()
        await self.catalog_read_engine.dispose()
