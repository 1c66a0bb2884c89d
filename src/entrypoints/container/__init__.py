"""The composition root: one small provider per bounded context, shared by HTTP, the CLI and the workers.

It builds use cases from adapters and knows nothing of HTTP (an import-linter
contract keeps ``entrypoints.http`` and litestar out of it), so a worker never
loads web code. Adding a use case is one line in its context's provider.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres import PostgresProbe
from adapters.redis import RedisProbe
from application.check_readiness import CheckReadiness
from application.rate_limits import EnforceRateLimit
from entrypoints.container.adapters import Adapters
from entrypoints.container.catalog import CatalogProvider
from entrypoints.container.identity import IdentityProvider
from entrypoints.container.jobs import JobsProvider
from entrypoints.container.ordering import OrderingProvider
from entrypoints.container.support import SupportProvider
from entrypoints.settings import Settings

__all__ = [
    "Adapters",
    "CatalogProvider",
    "Container",
    "IdentityProvider",
    "JobsProvider",
    "OperationsProvider",
    "OrderingProvider",
    "SupportProvider",
]


class OperationsProvider:
    """What operators and orchestrators ask of the process itself."""

    def __init__(self, adapters: Adapters) -> None:
        self.check_readiness = CheckReadiness([PostgresProbe(adapters.engine)], optional=[RedisProbe(adapters.redis)])
        self.enforce_rate_limit = EnforceRateLimit(limiter=adapters.rate_limiter)


@dataclass(frozen=True, slots=True)
class Container:
    """One per process. Every field but ``adapters`` is a provider: HTTP gets one dependency per provider."""

    adapters: Adapters
    operations: OperationsProvider
    identity: IdentityProvider
    catalog: CatalogProvider
    support: SupportProvider
    ordering: OrderingProvider
    jobs: JobsProvider

    @classmethod
    def create(cls, settings: Settings) -> Container:
        return cls.of(Adapters.create(settings))

    @classmethod
    def of(cls, adapters: Adapters) -> Container:
        identity = IdentityProvider(adapters)
        return cls(
            adapters=adapters,
            operations=OperationsProvider(adapters),
            identity=identity,
            catalog=CatalogProvider(adapters, identity),
            support=SupportProvider(adapters),
            ordering=OrderingProvider(adapters),
            jobs=JobsProvider(adapters),
        )

    @property
    def settings(self) -> Settings:
        return self.adapters.settings

    @property
    def engine(self) -> AsyncEngine:
        return self.adapters.engine

    async def close(self) -> None:
        await self.adapters.close()
