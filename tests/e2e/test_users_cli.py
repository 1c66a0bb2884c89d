"""`commerce users ...` against the test database, through the same use cases as HTTP."""

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


def test_create_admin_prompts_for_the_password_without_echoing_it_and_lists_the_account(cli_env):
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
