"""`commerce serve` on a fresh data folder: real engines up, a clean stop, data kept."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest
from redis import Redis

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.embedded.server import pid_is_alive

pytestmark = pytest.mark.slow

COMMERCE = Path(sys.executable).parent / "commerce"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(data_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
    environment["COMMERCE_DATA_DIR"] = str(data_dir)
    return environment


def _wait_until_ready(process: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "commerce serve exited before it was ready"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"/ready did not answer 200 within {timeout} s")


def _engine_processes(data_dir: Path, pids: list[int | None]) -> list[str]:
    """Live (non-zombie) processes that belong to this data folder's engines."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if (str(data_dir) in command or int(entry.name) in pids) and pid_is_alive(int(entry.name)):
            left.append(f"{entry.name}: {command}")
    return left


def _serve(data_dir: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(COMMERCE), "serve", "--port", str(port)],
        env=_environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen) -> None:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    assert time.monotonic() - started < 10


def test_serve_starts_real_engines_stops_cleanly_and_keeps_data(tmp_path):
    data_dir = tmp_path / "data"
    port = _free_port()

    first = _serve(data_dir, port)
    try:
        _wait_until_ready(first, port)
        database_url = EmbeddedPostgres(data_dir).running_url()
        redis_url = EmbeddedRedis(data_dir).running_url()
        assert database_url is not None
        assert redis_url is not None
        server_pids = [EmbeddedPostgres(data_dir).server_pid(), EmbeddedRedis(data_dir).server_pid()]

        async def remember(database_url: str) -> None:
            connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
            try:
                await connection.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')")
            finally:
                await connection.close()

        asyncio.run(remember(database_url))
        Redis.from_url(redis_url).set("kept", "still here")
    finally:
        _stop(first)

    assert first.returncode == 0
    assert _engine_processes(data_dir, server_pids) == []

    second = _serve(data_dir, port)
    try:
        _wait_until_ready(second, port)
        database_url = EmbeddedPostgres(data_dir).running_url()
        redis_url = EmbeddedRedis(data_dir).running_url()
        assert database_url is not None
        assert redis_url is not None

        async def recall(database_url: str) -> str:
            connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
            try:
                return await connection.fetchval("SELECT note FROM kept")
            finally:
                await connection.close()

        assert asyncio.run(recall(database_url)) == "still here"
        assert Redis.from_url(redis_url).get("kept") == b"still here"
    finally:
        _stop(second)
    assert _engine_processes(data_dir, []) == []
