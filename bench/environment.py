"""Where the bench runs: its own databases, its Redis database, and `commerce serve` as in production.

The catalog is seeded once per scale into a template database
(``bench_seed_<scale>``) and every run starts from a fresh copy of it
(``CREATE DATABASE bench_run TEMPLATE …``, a file copy of a few seconds), so a
run never sees the orders or stock changes of the previous one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import redis

from adapters.postgres import migrator
from adapters.redis.access_token_denylist import COMPLETE_SINCE_KEY
from bench.seeding import seed_bench
from entrypoints.container import Container
from entrypoints.settings import load_settings

SEED_VERSION = "bench-seed-4"  # bump when the seeded shape changes: the templates are rebuilt
RUN_DATABASE = "bench_run"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Servers:
    """The PostgreSQL server (a URL to any database on it) and the Redis database the bench may flush."""

    postgres_url: str
    redis_url: str


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://"))
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@contextlib.contextmanager
def servers(data_dir: Path) -> Iterator[Servers]:
    """``BENCH_DATABASE_URL``/``BENCH_REDIS_URL`` (or the ``COMMERCE_`` ones), else the embedded engines."""
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("COMMERCE_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("COMMERCE_REDIS_URL")
    if database_url and redis_url:
        yield Servers(database_url.replace("postgresql+asyncpg://", "postgresql://"), redis_url)
        return
    from entrypoints.engines import running_engines  # noqa: PLC0415 - only when no servers are given

    settings = load_settings(environ={"COMMERCE_DATA_DIR": str(data_dir)}, dotenv=None)
    with running_engines(settings) as resolved:
        yield Servers(
            resolved.require_database_url().replace("postgresql+asyncpg://", "postgresql://"),
            resolved.require_redis_url(),
        )


async def _admin(servers_: Servers) -> asyncpg.Connection:
    return await asyncpg.connect(with_database(servers_.postgres_url, "postgres"))


async def template_ready(servers_: Servers, template: str) -> bool:
    connection = await _admin(servers_)
    try:
        comment = await connection.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", template
        )
    finally:
        await connection.close()
    return bool(comment == SEED_VERSION)


async def recreate(servers_: Servers, database: str, template: str | None = None) -> None:
    connection = await _admin(servers_)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        await connection.execute(f'CREATE DATABASE "{database}"{suffix}')
    finally:
        await connection.close()


def migrate(servers_: Servers, database: str) -> None:
    """The copy at the code's migration head: a template seeded before a new migration still serves."""
    environment = app_environment(servers_, database, count_statements=False)
    migrator.upgrade(load_settings(environ=environment, dotenv=None).require_database_url())


async def analyze(servers_: Servers, database: str) -> None:
    """The state autovacuum keeps a production database in, which a server with it off never reaches.

    Fresh planner statistics (a copy made right after seeding may carry those of a far smaller
    table), and a vacuum: the visibility map that index-only scans need, and index entries still
    pending merge. This machine's PostgreSQL runs with ``autovacuum = off``.
    """
    connection = await asyncpg.connect(with_database(servers_.postgres_url, database))
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


async def mark_seeded(servers_: Servers, template: str) -> None:
    connection = await _admin(servers_)
    try:
        await connection.execute(f"COMMENT ON DATABASE \"{template}\" IS '{SEED_VERSION}'")
    finally:
        await connection.close()


def flush_redis(url: str) -> None:
    """Empty the bench's Redis db, then mark its token denylist complete.

    Every run starts from a copy of the template, which has revoked no token, so Redis misses
    nothing. Without the marker the app would take the flush for lost data and check PostgreSQL
    on every authenticated request for one token lifetime (ADR 0015): not the steady state.
    """
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
        client.set(COMPLETE_SINCE_KEY, b"0")
    finally:
        client.close()


def app_environment(servers_: Servers, database: str, *, count_statements: bool) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_") or key == "COMMERCE_ENV"
    }
    environment.update(
        COMMERCE_DATABASE_URL=with_database(servers_.postgres_url, database),
        COMMERCE_REDIS_URL=servers_.redis_url,
        COMMERCE_LOG_LEVEL="WARNING",  # the per-request log line is the access log: off, as in the issue
        COMMERCE_CONSOLE_NOTIFICATIONS="false",
        # Every request of the load comes from one address and a few accounts (ADR 0014: load tests relax).
        COMMERCE_RATE_LIMITS="relaxed",
        COMMERCE_SQL_STATEMENT_METRICS="true" if count_statements else "false",
    )
    return environment


async def ensure_template(
    servers_: Servers,
    template: str,
    *,
    fresh: bool,
    products: int,
    customers: int,
    log: Callable[[str], None],
) -> None:
    """Seed ``template`` unless a complete one is there, one seeder at a time.

    Two runs on one server (two developers, or a run started while another seeds) share the
    template: without the advisory lock the second would drop the database the first is seeding.
    """
    connection = await _admin(servers_)
    try:
        await connection.execute("SELECT pg_advisory_lock(hashtext($1))", template)
        if fresh or not await template_ready(servers_, template):
            log(f"seeding {products:,} products and {customers:,} customers through the use cases")
            await seed_template(servers_, template, products=products, customers=customers, log=log)
    finally:
        await connection.close()  # ends the session, and with it the lock


async def seed_template(
    servers_: Servers, template: str, *, products: int, customers: int, log: Callable[[str], None]
) -> None:
    """Seed ``template`` through the use cases, in this process, then mark it complete."""
    await recreate(servers_, template)
    environment = app_environment(servers_, template, count_statements=False)
    await asyncio.to_thread(migrator.upgrade, load_settings(environ=environment, dotenv=None).require_database_url())
    flush_redis(servers_.redis_url)
    container = Container.create(load_settings(environ=environment, dotenv=None))
    try:
        await seed_bench(container, products=products, customers=customers, progress=log)
    finally:
        await container.close()
    await mark_seeded(servers_, template)


def free_port() -> int:
    """A port nothing listens on now: two runs on one machine must never measure each other's server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def refuse_taken_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} already answers: another server would be measured")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def local_postgres_cpu_seconds() -> dict[int, float]:
    """CPU seconds of every PostgreSQL process on this machine, by pid (empty where the server is elsewhere)."""
    seen: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
        except OSError:
            continue
        seen[int(entry.name)] = process_cpu_seconds(int(entry.name))
    return seen


class AppServer:
    """``commerce serve`` with one worker (uvicorn runs it in this very process) and no access log."""

    def __init__(self, environment: dict[str, str], port: int) -> None:
        refuse_taken_port(port)
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self._log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-server-{port}.log"
        commerce = shutil.which("commerce", path=str(Path(sys.executable).parent)) or "commerce"
        self._process = subprocess.Popen(
            [commerce, "serve", "--port", str(port), "--workers", "1"],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._log.open("wb"),
        )

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"commerce serve exited: {self._stderr()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/health", timeout=1) as response,  # noqa: S310 - localhost
            ):
                if response.status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("commerce serve did not answer /health in time")

    def memory(self) -> tuple[float, float]:
        """(current RSS, peak RSS) of the worker, in MB."""
        values: dict[str, float] = {}
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the worker has used so far."""
        return process_cpu_seconds(self.pid)

    def metrics_text(self) -> str:
        with urllib.request.urlopen(f"{self.base}/metrics", timeout=10) as response:  # noqa: S310 - localhost
            return str(response.read().decode())

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _stderr(self) -> str:
        return self._log.read_text(errors="replace")[-2000:]
