"""`commerce users ...` against the test database, through the same use cases as HTTP."""

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from entrypoints.cli import main


@pytest.fixture
def cli_env(settings):
    return {
        "COMMERCE_DATABASE_URL": settings.database_url,
        "COMMERCE_REDIS_URL": settings.redis_url,
        "COMMERCE_LOG_LEVEL": "WARNING",
    }


ADMIN = [
    "users", "create-admin", "--email", "Boss@Example.com", "--phone", "3005550000",
    "--national-id", "80000001", "--first-name", "Sara", "--last-name", "Gomez",
]  # fmt: skip


def test_create_admin_reads_a_piped_password_without_showing_it_and_lists_the_account(cli_env):
    runner = CliRunner()
    created = runner.invoke(main, ADMIN, env=cli_env, input="violet-harbour-71-kite\nviolet-harbour-71-kite\n")
    assert created.exit_code == 0, created.output
    assert "boss@example.com" in created.output
    assert "violet-harbour-71-kite" not in created.output

    listed = runner.invoke(main, ["users", "list", "--role", "admin"], env=cli_env)
    assert listed.exit_code == 0, listed.output
    assert "boss@example.com" in listed.output
    assert "active" in listed.output


def test_create_admin_applies_the_signup_rules(cli_env):
    runner = CliRunner()
    weak = runner.invoke(main, [*ADMIN, "--password", "qwertyuiop"], env=cli_env)
    assert weak.exit_code != 0
    assert "common" in weak.output
    ok = runner.invoke(main, [*ADMIN, "--password", "violet-harbour-71-kite"], env=cli_env)
    assert ok.exit_code == 0, ok.output
    duplicate = runner.invoke(main, [*ADMIN, "--password", "violet-harbour-71-kite"], env=cli_env)
    assert duplicate.exit_code != 0
    assert "email" in duplicate.output


def test_an_invalid_setting_stops_the_cli_naming_the_variable(cli_env):
    result = CliRunner().invoke(main, ["users", "list"], env=cli_env | {"COMMERCE_CURRENCY": "XXX1"})
    assert result.exit_code != 0
    assert "COMMERCE_CURRENCY" in result.output


def test_a_password_piped_into_create_admin_is_read_without_an_echo_warning(cli_env):
    # A real pipe, not CliRunner: the echo warning came from getpass on a non-terminal stdin.
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "commerce"), *ADMIN],
        input="violet-harbour-71-kite\n",
        env={**os.environ, **cli_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Warning" not in completed.stderr
    assert "violet-harbour-71-kite" not in completed.stdout + completed.stderr
    logged_in = CliRunner().invoke(main, ["users", "list", "--search", "boss@example.com"], env=cli_env)
    assert "boss@example.com" in logged_in.output


def test_users_list_lines_up_its_columns(cli_env):
    runner = CliRunner()
    assert runner.invoke(main, [*ADMIN, "--password", "violet-harbour-71-kite"], env=cli_env).exit_code == 0
    other = [arg.replace("Boss@Example.com", "ana.maria.rojas@example.com") for arg in ADMIN]
    other = [*other[:5], "3005550001", "--national-id", "80000002", *other[8:]]
    assert runner.invoke(main, [*other, "--password", "violet-harbour-71-kite"], env=cli_env).exit_code == 0

    lines = runner.invoke(main, ["users", "list"], env=cli_env).output.splitlines()
    assert lines[0].split() == ["ID", "ROLE", "STATUS", "EMAIL", "PHONE"]
    assert len(lines) == 3
    for column in ("ROLE", "STATUS", "EMAIL", "PHONE"):
        start = lines[0].index(column)
        assert all(line[start - 2 : start] == "  " and line[start] != " " for line in lines[1:]), column


def _options(command: click.Command, path: str = "commerce") -> Iterator[tuple[str, click.Option]]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _options(sub, f"{path} {name}")
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            yield path, parameter


def test_every_option_of_every_command_has_help():
    missing = [f"{path} {option.opts[0]}" for path, option in _options(main) if not option.help]
    assert missing == []


def test_db_upgrade_and_downgrade_take_the_revision_as_an_argument(cli_env):
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade", "head"], env=cli_env)
    assert upgraded.exit_code == 0, upgraded.output
    assert "database upgraded to head" in upgraded.output
    assert runner.invoke(main, ["db", "upgrade"], env=cli_env).exit_code == 0
    downgrade_help = runner.invoke(main, ["db", "downgrade", "--help"]).output
    assert "[REVISION]" in downgrade_help
    assert "-1" in downgrade_help


def _read_until(fd: int, text: bytes, seen: bytearray, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < deadline, f"never saw {text!r} in {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen.extend(os.read(fd, 4096))
            except OSError:
                break


def test_on_a_terminal_create_admin_asks_twice_for_the_password_without_echo(cli_env):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "commerce"), *ADMIN],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, **cli_env},
        start_new_session=True,
    )
    os.close(terminal)
    seen = bytearray()
    try:
        _read_until(controller, b"Password:", seen)
        os.write(controller, b"violet-harbour-71-kite\n")
        _read_until(controller, b"Repeat for confirmation:", seen)
        os.write(controller, b"violet-harbour-71-kite\n")
        _read_until(controller, b"created", seen)
        assert process.wait(timeout=60) == 0, bytes(seen)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert b"violet-harbour-71-kite" not in seen
    assert b"boss@example.com" in seen
