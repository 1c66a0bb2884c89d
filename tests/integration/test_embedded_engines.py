"""The embedded engines: shared by the processes of one data folder, never orphaned."""

import os
import signal
import subprocess
import sys
import textwrap
from typing import cast

import pytest

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.embedded.server import pid_is_alive, wait_until_gone

pytestmark = pytest.mark.slow


def _start_in_child_and_get_killed(data_dir) -> None:
    """A process that starts both engines and is then SIGKILLed, as a crashed run would be."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
        EmbeddedPostgres(Path({str(data_dir)!r})).start()
        EmbeddedRedis(Path({str(data_dir)!r})).start()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert completed.returncode == -signal.SIGKILL


@pytest.mark.parametrize("kind", [EmbeddedPostgres, EmbeddedRedis])
def test_a_second_handle_attaches_instead_of_starting_another_server(tmp_path, kind):
    first = kind(tmp_path)
    url = first.start()
    try:
        second = kind(tmp_path)
        assert second.start() == url
        assert not second.owned
        second.stop()  # an attached handle leaves the server running
        assert pid_is_alive(first.server_pid())
    finally:
        first.stop()
    assert first.running_url() is None


def test_servers_left_by_a_killed_run_are_adopted_and_stopped_by_the_next_one(tmp_path):
    _start_in_child_and_get_killed(tmp_path)
    orphans = [EmbeddedPostgres(tmp_path), EmbeddedRedis(tmp_path)]
    pids = [server.server_pid() for server in orphans]
    assert all(pid is not None and pid_is_alive(pid) for pid in pids)

    for server in orphans:
        server.start()
        assert server.owned, "the next run takes over servers whose owner died"
    for server in orphans:
        server.stop()
    assert all(wait_until_gone(cast("int", pid), 5) for pid in pids)


def test_a_stale_postmaster_pid_from_a_dead_server_is_recovered(tmp_path):
    postgres = EmbeddedPostgres(tmp_path)
    postgres.start()
    pid = postgres.server_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the server dies hard, leaving its postmaster.pid behind
    assert wait_until_gone(pid, 5)
    assert (tmp_path / "postgres" / "postmaster.pid").exists()

    restarted = EmbeddedPostgres(tmp_path)
    try:
        assert restarted.start().startswith("postgresql+asyncpg://")
        assert restarted.server_pid() != pid
    finally:
        restarted.stop()
        postgres.owned = False
