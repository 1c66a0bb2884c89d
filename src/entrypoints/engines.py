"""Where the database and Redis URLs come from: the settings, or the embedded engines."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis, EmbeddedServer
from entrypoints.settings import Settings


@dataclasses.dataclass(slots=True)
class RunningEngines:
    settings: Settings
    embedded: list[EmbeddedServer]

    def stop(self) -> None:
        for server in reversed(self.embedded):
            server.stop()
        self.embedded.clear()


def start_engines(settings: Settings) -> RunningEngines:
    """Start (or attach to) an embedded server for every URL the settings leave unset."""
    embedded: list[EmbeddedServer] = []
    database_url, redis_url = settings.database_url, settings.redis_url
    try:
        if database_url is None:
            postgres = EmbeddedPostgres(settings.data_dir)
            database_url = postgres.start()
            embedded.append(postgres)
        if redis_url is None:
            redis = EmbeddedRedis(settings.data_dir)
            redis_url = redis.start()
            embedded.append(redis)
    except BaseException:
        RunningEngines(settings, embedded).stop()
        raise
    resolved = dataclasses.replace(settings, database_url=database_url, redis_url=redis_url)
    return RunningEngines(resolved, embedded)


@contextmanager
def running_engines(settings: Settings) -> Iterator[Settings]:
    """The settings with both URLs filled in, for as long as the block runs."""
    engines = start_engines(settings)
    try:
        yield engines.settings
    finally:
        engines.stop()
