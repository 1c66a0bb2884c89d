"""Authentication counters in the Prometheus client's registry."""

from __future__ import annotations

from functools import cache

from prometheus_client import REGISTRY, CollectorRegistry, Counter

from application.ports import AuthMetrics


@cache
def _counters(registry: CollectorRegistry) -> tuple[Counter, Counter, Counter, Counter]:
    # Created once per registry (the registry refuses duplicates), on first use, not at import.
    return (
        Counter("commerce_login_cache_hits_total", "Logins answered from the credential cache.", registry=registry),
        Counter("commerce_login_cache_misses_total", "Logins that had to read PostgreSQL.", registry=registry),
        Counter("commerce_login_failures_total", "Refused logins, by reason.", ["reason"], registry=registry),
        Counter(
            "commerce_credential_cache_unavailable_total",
            "Credential cache operations that failed because Redis was unreachable.",
            registry=registry,
        ),
    )


class PrometheusAuthMetrics(AuthMetrics):
    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self._hits, self._misses, self._failures, self._unavailable = _counters(registry)

    def login_cache_hit(self) -> None:
        self._hits.inc()

    def login_cache_miss(self) -> None:
        self._misses.inc()

    def login_failed(self, reason: str) -> None:
        self._failures.labels(reason=reason).inc()

    def cache_unavailable(self) -> None:
        self._unavailable.inc()


@cache
def sql_statement_counter(registry: CollectorRegistry = REGISTRY) -> Counter:
    """Statements sent to PostgreSQL by this process (only when ``COMMERCE_SQL_STATEMENT_METRICS`` is on)."""
    return Counter("commerce_sql_statements_total", "SQL statements sent to PostgreSQL.", registry=registry)
