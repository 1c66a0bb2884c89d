"""What the embedded PostgreSQL and Redis supervisors share: locking, ownership, ports."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)


class EngineStartError(RuntimeError):
    """An embedded server could not be started; the message says where its log is."""


def free_local_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0): look at its state.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def wait_until_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_is_alive(pid):
            return True
        time.sleep(0.05)
    return not pid_is_alive(pid)


def terminate(pid: int, stop_signal: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> None:
    """``stop_signal``, then SIGKILL if the process is still there after ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, stop_signal)
    if not wait_until_gone(pid, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_until_gone(pid, 2.0)


class EmbeddedServer(ABC):
    """One server process living in ``data_dir/<name>``, shared by the processes that use it."""

    name: str
    # The signal on which the server stops at once, still leaving consistent data behind.
    fast_shutdown_signal: signal.Signals = signal.SIGTERM

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.home = self.data_dir / self.name
        self._owner_file = self.data_dir / f"{self.name}.owner"
        self._lock_file = self.data_dir / f"{self.name}.lock"
        self.owned = False
        self.url: str | None = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise start, attach and stop across processes (the lock dies with its holder)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._lock_file.open("a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def start(self) -> str:
        """Start the server, or attach to the one already running; return its URL."""
        with self._locked():
            self.home.mkdir(parents=True, exist_ok=True)
            running_url = self._running_url()
            if running_url is None:
                logger.info("starting embedded %s in %s", self.name, self.home)
                # Owned before it runs: an interrupted launch is still stopped by this process.
                self._take_ownership()
                running_url = self._launch()
            elif not self._owner_alive():
                logger.info("adopting embedded %s left by a run that ended", self.name)
                self._take_ownership()
            else:
                logger.info("attaching to the embedded %s already running in %s", self.name, self.home)
            self.url = running_url
            return running_url

    def stop(self) -> None:
        """Stop the server if this process owns it; attached processes leave it running."""
        if not self.owned:
            return
        with self._locked():
            self._shutdown()
            self._owner_file.unlink(missing_ok=True)
            self.owned = False

    def stop_fast(self) -> None:
        """Send the server its fast-shutdown signal and wait for it; no lock, no handshake.

        For a process that must end now (a forced stop): whatever the server was
        doing, it still shuts down rather than being orphaned.
        """
        if not self.owned:
            return
        pid = self._read_pid()
        if pid is not None and self._is_own_process(pid):
            logger.warning("fast shutdown of embedded %s (pid %s)", self.name, pid)
            terminate(pid, self.fast_shutdown_signal)
        self._owner_file.unlink(missing_ok=True)
        self.owned = False

    def running_url(self) -> str | None:
        """The URL of the server running on this data folder, without starting one."""
        with self._locked():
            return self._running_url() if self.home.exists() else None

    def server_pid(self) -> int | None:
        """The pid of the running server process, if any."""
        return self._read_pid()

    def _take_ownership(self) -> None:
        self._owner_file.write_text(str(os.getpid()))
        self.owned = True

    def _owner_alive(self) -> bool:
        try:
            owner = int(self._owner_file.read_text().strip())
        except (OSError, ValueError):
            return False
        # Another handle in this very process already owns the server.
        return owner == os.getpid() or pid_is_alive(owner)

    def _running_url(self) -> str | None:
        pid = self._read_pid()
        if pid is None or not pid_is_alive(pid) or not self._is_own_process(pid):
            self._forget_stale_pid()
            return None
        return self._url_of_running()

    @abstractmethod
    def _read_pid(self) -> int | None: ...

    @abstractmethod
    def _is_own_process(self, pid: int) -> bool: ...

    @abstractmethod
    def _forget_stale_pid(self) -> None: ...

    @abstractmethod
    def _url_of_running(self) -> str | None: ...

    @abstractmethod
    def _launch(self) -> str: ...

    @abstractmethod
    def _shutdown(self) -> None: ...
