"""The benchmark suite keeps working: ``python -m bench --scenario ceiling --quick`` for two seconds.

CI runs pytest, not the benchmark (it is not a test); this only proves the
suite still seeds, serves, drives wrk and writes its result.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install -y wrk)")
def test_bench_ceiling_quick_runs_and_writes_its_result(test_servers: Any, tmp_path: Path) -> None:
    server_url = test_servers.database_server_url.replace("postgresql+asyncpg://", "postgresql://")
    run_database = f"bench_smoke_{uuid.uuid4().hex[:8]}"
    output = tmp_path / "result.json"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
    environment.update(BENCH_DATABASE_URL=server_url, BENCH_REDIS_URL=test_servers.redis_url)
    try:
        completed = subprocess.run(
            [
                sys.executable, "-m", "bench", "--quick", "--scenario", "ceiling", "--seconds", "2",
                "--scale", "100", "--customers", "84", "--port", str(_free_port()),
                "--run-database", run_database, "--output", str(output),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )  # fmt: skip
    finally:

        async def drop() -> None:
            connection = await asyncpg.connect(server_url.rsplit("/", 1)[0] + "/postgres")
            try:
                await connection.execute(f'DROP DATABASE IF EXISTS "{run_database}" WITH (FORCE)')
            finally:
                await connection.close()

        asyncio.run(drop())
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    result = json.loads(output.read_text())
    ceiling = next(entry for entry in result["scenarios"] if entry["scenario"] == "ceiling")
    assert ceiling["requests"] > 0
    assert ceiling["errors"] == 0
    assert ceiling["worker_cpu_ms"] > 0  # what one request costs the worker, from /proc
    assert result["worker_rss_mb"]["peak"] > 0
    assert {target["scenario"] for target in result["targets"]} >= {"list_hit", "login_hit", "checkout_hot"}
    assert "ceiling" in completed.stdout
