"""`commerce serve` on a fresh data folder: real engines up, a clean stop, data kept."""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import asyncpg
import httpx
import pytest
from redis import Redis

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.embedded.server import pid_is_alive

pytestmark = pytest.mark.slow

COMMERCE = Path(sys.executable).parent / "commerce"


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A folder outside pytest's temp root, which every pytest start resets to mode 0700: the embedded
    PostgreSQL runs as another user under root and must traverse the folders above its data."""
    folder = Path(tempfile.mkdtemp(prefix="commerce-serve-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


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


def _engine_processes(data_dir: Path, pids: Sequence[int | None]) -> list[str]:
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


# --- Stopping: every way a person or a supervisor ends `serve` stops the engines it started ---

UV = shutil.which("uv")
STOP_BUDGET = 15.0


def _serve_in_own_group(data_dir: Path, port: int, log: Path, *, through_uv: bool = False) -> subprocess.Popen:
    """`serve` as a terminal runs it: leader of its own process group, which a Ctrl-C signals as a whole."""
    command = [str(COMMERCE), "serve", "--port", str(port)]
    if through_uv:
        assert UV is not None
        command = [UV, "run", "--frozen", "--no-sync", "commerce", "serve", "--port", str(port)]
    with log.open("wb") as sink:
        return subprocess.Popen(
            command,
            env=_environment(data_dir),
            cwd=Path(__file__).parents[2],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
        )


def _ctrl_c(process: subprocess.Popen) -> None:
    """What a terminal does on Ctrl-C: SIGINT to every process of the foreground group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)


def _wait_for_log(process: subprocess.Popen, log: Path, text: str, timeout: float = STOP_BUDGET) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            return  # already gone: the signal that follows finds nothing to interrupt
        time.sleep(0.01)
    pytest.fail(f"{text!r} never logged: {log.read_text(errors='replace')}")


def _running_serve(tmp_path: Path, *, through_uv: bool = False) -> tuple[subprocess.Popen, Path, Path, list[int]]:
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"
    port = _free_port()
    process = _serve_in_own_group(data_dir, port, log, through_uv=through_uv)
    try:
        _wait_until_ready(process, port)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        print(log.read_text(errors="replace"))  # noqa: T201 - shown by pytest for the failed test
        raise
    pids = [EmbeddedPostgres(data_dir).server_pid(), EmbeddedRedis(data_dir).server_pid()]
    assert None not in pids
    return process, data_dir, log, [pid for pid in pids if pid is not None]


def _assert_stopped_everything(process: subprocess.Popen, data_dir: Path, pids: list[int], started: float) -> None:
    try:
        process.wait(timeout=STOP_BUDGET)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("serve did not stop within 15 s")
    assert time.monotonic() - started < STOP_BUDGET
    deadline = time.monotonic() + 2
    while _engine_processes(data_dir, pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _engine_processes(data_dir, pids) == []


def test_one_ctrl_c_stops_serve_and_its_engines(tmp_path):
    process, data_dir, _log, pids = _running_serve(tmp_path)
    started = time.monotonic()
    _ctrl_c(process)
    _assert_stopped_everything(process, data_dir, pids, started)
    assert process.returncode == 0


def test_a_second_ctrl_c_during_shutdown_does_not_interrupt_the_engines_stop(tmp_path):
    process, data_dir, log, pids = _running_serve(tmp_path)
    started = time.monotonic()
    _ctrl_c(process)
    _wait_for_log(process, log, "stopping the embedded engines")
    _ctrl_c(process)
    _assert_stopped_everything(process, data_dir, pids, started)
    assert process.returncode == 0, log.read_text()
    assert "fast shutdown" not in log.read_text()


def test_a_third_ctrl_c_forces_the_stop_and_still_stops_the_engines(tmp_path):
    process, data_dir, log, pids = _running_serve(tmp_path)
    started = time.monotonic()
    _ctrl_c(process)
    _wait_for_log(process, log, "stopping the embedded engines")
    _ctrl_c(process)
    _ctrl_c(process)
    _assert_stopped_everything(process, data_dir, pids, started)
    assert process.returncode in {0, 130}, log.read_text()


def test_sigterm_stops_serve_and_its_engines(tmp_path):
    process, data_dir, _log, pids = _running_serve(tmp_path)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _assert_stopped_everything(process, data_dir, pids, started)
    assert process.returncode == 0


@pytest.mark.skipif(UV is None, reason="uv is not on PATH")
def test_ctrl_c_on_uv_run_serve_stops_serve_and_its_engines(tmp_path):
    # uv forwards the SIGINT its group already delivered: the app gets two, a few hundred ms apart.
    process, data_dir, log, pids = _running_serve(tmp_path, through_uv=True)
    started = time.monotonic()
    _ctrl_c(process)
    _assert_stopped_everything(process, data_dir, pids, started)
    assert process.returncode == 0, log.read_text()
    assert "fast shutdown" not in log.read_text()


def test_seed_demo_on_an_empty_data_folder_then_serve_gives_a_browsable_catalog_of_500_products(tmp_path):
    data_dir = tmp_path / "data"
    seeded = subprocess.run(
        [str(COMMERCE), "seed-demo"],
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "500 products added" in seeded.stdout
    assert _engine_processes(data_dir, []) == [], "seed-demo stops the engines it started"

    port = _free_port()
    server = _serve(data_dir, port)
    try:
        _wait_until_ready(server, port)
        names: list[str] = []
        cursor = None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = httpx.get(f"http://127.0.0.1:{port}/api/v1/products", params=params, timeout=10).json()
            names.extend(product["name"] for product in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
        assert len(names) == 500
    finally:
        _stop(server)
