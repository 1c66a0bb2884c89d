"""Issue 13, defect 5: `serve` believes X-Forwarded-For only from COMMERCE_TRUSTED_PROXIES (nobody by default)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

COMMERCE = Path(sys.executable).parent / "commerce"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(database_url: str, redis_url: str, data_dir: Path, **extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
    environment |= {
        "COMMERCE_DATABASE_URL": database_url,
        "COMMERCE_REDIS_URL": redis_url,
        "COMMERCE_DATA_DIR": str(data_dir),
        "COMMERCE_LOG_LEVEL": "WARNING",
        "COMMERCE_RATE_LIMIT_SEARCH_PER_CLIENT": "2/60",
    } | {f"COMMERCE_{key}": value for key, value in extra.items()}
    process = subprocess.Popen(
        [str(COMMERCE), "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else "serve exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return process, port
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    pytest.fail("serve did not become ready")


def _searches(port: int, forwarded_for: list[str]) -> list[int]:
    return [
        httpx.get(
            f"http://127.0.0.1:{port}/api/v1/products", params={"q": "x"}, headers={"X-Forwarded-For": address}
        ).status_code
        for address in forwarded_for
    ]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.usefixtures("engine")
def test_a_local_client_cannot_pick_its_address_with_x_forwarded_for(database_url, redis, redis_url, tmp_path):
    process, port = _serve(database_url, redis_url, tmp_path)
    try:
        assert _searches(port, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200, 200, 429]
    finally:
        _stop(process)


@pytest.mark.usefixtures("engine")
def test_a_listed_proxy_is_believed(database_url, redis, redis_url, tmp_path):
    process, port = _serve(database_url, redis_url, tmp_path, TRUSTED_PROXIES="127.0.0.1")
    try:
        assert _searches(port, ["203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.1"]) == [200, 200, 200, 429]
    finally:
        _stop(process)
