"""The scenarios and their targets. Each returns a Measurement; ratios are taken against ``ceiling`` of the same run."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import redis
from argon2 import PasswordHasher, Type

from bench import client
from bench.environment import AppServer, local_postgres_cpu_seconds
from bench.fixtures import FLOOR_MAX, Fixtures
from bench.wrk import LoadResult, lua_list, lua_string, run_wrk

CONNECTIONS = 64
USERS = 64
LOGIN_HIT_USERS = 20


@dataclass(slots=True)
class Measurement:
    scenario: str
    rate: float  # requests/s (checkouts/s for the checkout scenarios)
    unit: str
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    seconds: float
    sql_per_request: float | None = None
    # CPU per operation (request, or checkout), from /proc: host-bound figures that say what a rate costs.
    worker_cpu_ms: float | None = None
    postgres_cpu_ms: float | None = None
    percentiles_ms: dict[str, float] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Target:
    scenario: str
    what: str  # "ceiling" (ratio to ceiling), "bound" (ratio to the argon2 bound), "rate", "rss_mb", "scale"
    threshold: float
    stretch: bool = False


TARGETS = (
    Target("list_hit", "ceiling", 0.35),
    Target("detail_hit", "ceiling", 0.35),
    Target("list_miss", "ceiling", 0.10),
    Target("search", "ceiling", 0.08),
    Target("me", "ceiling", 0.15),
    Target("login_hit", "bound", 0.85),
    Target("checkout_spread", "rate", 200),
    Target("checkout_hot", "rate", 100),
    Target("worker", "rss_mb", 150),
    Target("search_common", "ceiling", 0.02),
    Target("category_small", "ceiling", 0.02),
    Target("list_hit", "ceiling", 0.60, stretch=True),
    Target("detail_hit", "ceiling", 0.65, stretch=True),
    Target("list_miss", "ceiling", 0.25, stretch=True),
    Target("login_hit", "bound", 0.90, stretch=True),
)


# Seconds of unmeasured load before each cache-miss scenario (see Runner._misses).
MISS_WARM_UP_SECONDS = 2.0


def _verify_many(parameters: tuple[int, int, int], seconds: float) -> int:
    memory, time_cost, parallelism = parameters
    hasher = PasswordHasher(memory_cost=memory, time_cost=time_cost, parallelism=parallelism, type=Type.ID)
    digest = hasher.hash("bench password")
    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        hasher.verify(digest, "bench password")
        done += 1
    return done


def argon2_bound(parameters: tuple[int, int, int], seconds: float) -> float:
    """Verifies per second of the configured parameters on every core, measured, not computed."""
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores) as pool:
        started = time.perf_counter()
        total = sum(pool.map(_verify_many, [parameters] * cores, [seconds] * cores))
        return total / (time.perf_counter() - started)


def server_counts(server: AppServer) -> tuple[float, float, float]:
    """(SQL statements, requests served but /metrics, requests in progress) from the worker's /metrics."""
    statements = served = in_progress = 0.0
    for line in server.metrics_text().splitlines():
        if line.startswith("commerce_sql_statements_total "):
            statements = float(line.split()[1])
        elif line.startswith("commerce_requests_total{") and 'path="/metrics"' not in line:
            served += float(line.rsplit(" ", 1)[1])
        elif line.startswith("commerce_requests_in_progress{") and 'path="/metrics"' not in line:
            in_progress += float(line.rsplit(" ", 1)[1])
    return statements, served, in_progress


def drained(server: AppServer, timeout: float = 30.0) -> tuple[float, float]:
    """Once the requests still in flight when the load stopped are done: (SQL statements, requests served)."""
    deadline = time.monotonic() + timeout
    while True:
        statements, served, in_progress = server_counts(server)
        if in_progress <= 0 or time.monotonic() > deadline:
            return statements, served
        time.sleep(0.2)


def _warm(server: AppServer, paths: list[str], token: str | None = None) -> None:
    for path in paths:
        request = urllib.request.Request(server.base + path)  # noqa: S310 - localhost
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
            response.read()


class Runner:
    def __init__(self, server: AppServer, fixtures: Fixtures, *, seconds: float, redis_url: str) -> None:
        self.server = server
        self.fixtures = fixtures
        self.seconds = seconds
        self.redis_url = redis_url
        self._tokens: list[str] = []

    # -- helpers ---------------------------------------------------------------------------------------------

    def _measure(self, name: str, run: Callable[[], Measurement]) -> Measurement:
        statements_before, served_before = drained(self.server)
        worker_before, postgres_before = self.server.cpu_seconds(), local_postgres_cpu_seconds()
        measurement = run()
        worker_after, postgres_after = self.server.cpu_seconds(), local_postgres_cpu_seconds()
        statements, served = drained(self.server)
        # Per request the server finished (in-flight requests at the end did their SQL too).
        done = served - served_before
        measurement.sql_per_request = round((statements - statements_before) / done, 2) if done else None
        operations = measurement.rate * measurement.seconds
        if operations:
            postgres = sum(used - postgres_before.get(pid, 0.0) for pid, used in postgres_after.items())
            measurement.worker_cpu_ms = round((worker_after - worker_before) * 1000 / operations, 3)
            measurement.postgres_cpu_ms = round(postgres * 1000 / operations, 3) if postgres_after else None
        print(
            f"  {name:<16} {measurement.rate:9.1f} {measurement.unit:<11} p50 {measurement.p50_ms:8.1f} ms  "
            f"p99 {measurement.p99_ms:8.1f} ms  errors {measurement.errors}  sql/req {measurement.sql_per_request}  "
            f"cpu ms/op worker {measurement.worker_cpu_ms} postgres {measurement.postgres_cpu_ms}",
            flush=True,
        )
        return measurement

    def _wrk(self, name: str, script: str, data: dict[str, str]) -> Measurement:
        def run() -> Measurement:
            result: LoadResult = run_wrk(self.server.base, script, data, seconds=self.seconds, connections=CONNECTIONS)
            return Measurement(
                scenario=name,
                rate=result.rate,
                unit="req/s",
                p50_ms=result.p50_ms,
                p99_ms=result.p99_ms,
                errors=result.errors,
                requests=result.requests,
                seconds=result.seconds,
                percentiles_ms=result.percentiles_ms,
            )

        return self._measure(name, run)

    def tokens(self) -> list[str]:
        """Access tokens of the first USERS customers (logging them in also fills their credential cache)."""
        if not self._tokens:

            async def log_in_all() -> list[str]:
                host, port = "127.0.0.1", self.server.port
                emails = self.fixtures.customers[:USERS]
                return list(
                    await asyncio.gather(
                        *(client.log_in(host, port, email, self.fixtures.password) for email in emails)
                    )
                )

            self._tokens = asyncio.run(log_in_all())
        return self._tokens

    def _client(self, name: str, step: client.Step, unit: str) -> Measurement:
        # Unmeasured warm-up, as for the cache misses: every buyer's first checkout runs on a pooled
        # connection that has not prepared buying's statements yet, which a --quick run would mostly
        # measure; a server that has been up for a minute has them all prepared.
        asyncio.run(client.drive("127.0.0.1", self.server.port, USERS, MISS_WARM_UP_SECONDS, step))

        def run() -> Measurement:
            tally, seconds = asyncio.run(client.drive("127.0.0.1", self.server.port, USERS, self.seconds, step))
            latencies = sorted(tally.latencies_ms) or [0.0]

            def pct(q: float) -> float:
                return round(latencies[min(len(latencies) - 1, int(q / 100 * len(latencies)))], 2)

            return Measurement(
                scenario=name,
                rate=tally.operations / seconds,
                unit=unit,
                p50_ms=pct(50),
                p99_ms=pct(99),
                errors=tally.errors,
                requests=tally.requests,
                seconds=seconds,
                percentiles_ms={str(q): pct(q) for q in (50, 75, 90, 99, 99.9)},
                notes={"sold_out_409": tally.conflicts, "error_samples": tally.error_samples},
            )

        return self._measure(name, run)

    # -- scenarios -------------------------------------------------------------------------------------------

    def ceiling(self) -> Measurement:
        return self._wrk("ceiling", "get_paths.lua", {"PATHS": lua_list(["/health"])})

    def list_hit(self) -> Measurement:
        _warm(self.server, self.fixtures.list_hit)
        return self._wrk("list_hit", "get_paths.lua", {"PATHS": lua_list(self.fixtures.list_hit)})

    def detail_hit(self) -> Measurement:
        _warm(self.server, self.fixtures.detail)
        return self._wrk("detail_hit", "get_paths.lua", {"PATHS": lua_list(self.fixtures.detail)})

    def _misses(self, name: str, paths: list[str]) -> Measurement:
        data = {"PATHS": lua_list(paths), "FLOOR_MAX": str(FLOOR_MAX)}
        # Unmeasured warm-up under the same load: each pooled connection prepares every listing shape
        # once, as a server that has been up for a while already has (a 4 s run would mostly measure
        # that). The random price floors make the measured requests cache misses all the same.
        run_wrk(self.server.base, "get_random_filters.lua", data, seconds=MISS_WARM_UP_SECONDS, connections=CONNECTIONS)
        return self._wrk(name, "get_random_filters.lua", data)

    def list_miss(self) -> Measurement:
        return self._misses("list_miss", self.fixtures.list_miss)

    def search(self) -> Measurement:
        return self._misses("search", self.fixtures.search)

    def search_common(self) -> Measurement:
        return self._misses("search_common", self.fixtures.search_common)

    def category_small(self) -> Measurement:
        return self._misses("category_small", self.fixtures.category_small)

    def me(self) -> Measurement:
        tokens = self.tokens()[:LOGIN_HIT_USERS]
        return self._wrk("me", "get_paths.lua", {"PATHS": lua_list(["/api/v1/me"]), "TOKENS": lua_list(tokens)})

    def _login(self, name: str, users: list[str], *, sequential: bool) -> Measurement:
        data = {"USERS": lua_list(users), "PASSWORD": lua_string(self.fixtures.password), "THREADS": "2"}
        if sequential:
            data["SEQUENTIAL"] = "true"
        return self._wrk(name, "login.lua", data)

    def login_hit(self) -> Measurement:
        self.tokens()  # the first customers are in the credential cache now
        return self._login("login_hit", self.fixtures.customers[:LOGIN_HIT_USERS], sequential=False)

    def login_miss(self) -> Measurement:
        connection = redis.Redis.from_url(self.redis_url)
        try:
            keys = [*connection.scan_iter("auth:v1:login:*"), *connection.scan_iter("auth:v1:user:*")]
            if keys:
                connection.delete(*keys)
        finally:
            connection.close()
        measurement = self._login("login_miss", self.fixtures.customers[USERS:], sequential=True)
        measurement.notes["distinct_users"] = len(self.fixtures.customers) - USERS
        return measurement

    def checkout_spread(self) -> Measurement:
        tokens, products = self.tokens(), self.fixtures.spread_ids

        async def step(connection: client.HttpConnection, index: int, tally: client.Tally) -> None:
            await client.checkout_once(connection, tokens[index], products[index % len(products)], tally)

        return self._client("checkout_spread", step, "checkouts/s")

    def checkout_hot(self) -> Measurement:
        tokens, product = self.tokens(), self.fixtures.hot_id

        async def step(connection: client.HttpConnection, index: int, tally: client.Tally) -> None:
            await client.checkout_once(connection, tokens[index], product, tally)

        return self._client("checkout_hot", step, "checkouts/s")

    def mixed(self) -> Measurement:
        browse = self.fixtures.list_hit + self.fixtures.detail[:50]
        step = client.mixed_step(self.tokens(), browse, self.fixtures.product_ids[:500], self.fixtures.spread_ids)
        return self._client("mixed", step, "ops/s")


SCENARIOS = (
    "ceiling",
    "list_hit",
    "detail_hit",
    "list_miss",
    "search",
    "me",
    "login_hit",
    "login_miss",
    "checkout_spread",
    "checkout_hot",
    "mixed",
)
SCALE_SCENARIOS = ("search_common", "category_small")


def dump(measurements: list[Measurement]) -> str:
    return json.dumps([measurement.as_dict() for measurement in measurements], indent=2)
