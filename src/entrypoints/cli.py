"""The ``commerce`` command line: serve the API, migrate the schema, and (later) operate the platform."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

import click
import uvicorn

from adapters.embedded import EngineStartError
from adapters.postgres import migrator
from application.identity.administration import ListUsersQuery
from application.identity.policies import OPERATOR
from application.identity.sign_up import SignUpCommand
from application.ports import UserFilter
from domain.identity.roles import Role
from entrypoints.catalog_commands import catalog, process_imports
from entrypoints.cli_jobs import expire_checkouts, purge, relay_outbox, reports
from entrypoints.cli_runtime import command_settings as _settings
from entrypoints.cli_runtime import run_on as _run_on
from entrypoints.cli_runtime import run_use_case as _run_use_case
from entrypoints.container import Container
from entrypoints.demo.catalog_data import DEMO_PASSWORD
from entrypoints.demo.seed import SeedReport, seed_demo
from entrypoints.engines import RunningEngines, StopSignals, running_engines
from entrypoints.progress import progress
from entrypoints.settings import Environment, Settings

# How long a new worker may take to answer uvicorn's supervisor. A spawned worker imports the whole
# application before its first answer; on a busy host that takes longer than uvicorn's 5 s default,
# and the supervisor would kill and respawn every worker forever. A worker answers from its own
# thread, so a long event-loop stall is not mistaken for death either way.
WORKER_HEALTHCHECK_SECONDS = 60


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """commerce: the marketplace API and its operations."""


def trusted_proxies(settings: Settings) -> list[str]:
    """X-Forwarded-For / -Proto are believed only from ``COMMERCE_TRUSTED_PROXIES`` (none by default).

    uvicorn's own default trusts 127.0.0.1, which let any local client pick its
    address and slip past per-address limits (issue 13, defect 5).
    """
    return list(settings.trusted_proxies)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to bind.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development only).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the HTTP API (embedded PostgreSQL and Redis when no URLs are configured)."""
    settings = _settings()
    if reload and settings.env is Environment.PRODUCTION:
        raise click.ClickException("--reload is for development only")
    engines = RunningEngines(settings)
    # Installed before the engines start: a Ctrl-C at any moment still stops every engine started.
    with StopSignals(engines):
        try:
            engines.start()
            resolved = engines.settings
            # Workers (and the reloader) build their settings from the environment.
            os.environ["COMMERCE_DATABASE_URL"] = resolved.require_database_url()
            os.environ["COMMERCE_REDIS_URL"] = resolved.require_redis_url()
            if settings.env is Environment.DEVELOPMENT:
                migrator.upgrade(resolved.require_database_url())
            # uvicorn handles SIGINT/SIGTERM while it serves, then hands them back to StopSignals.
            uvicorn.run(
                "entrypoints.http.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                reload=reload,
                log_config=None,
                access_log=False,
                server_header=False,
                proxy_headers=bool(trusted_proxies(settings)),
                forwarded_allow_ips=trusted_proxies(settings),
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            )
        except EngineStartError as error:
            raise click.ClickException(str(error)) from None
        finally:
            engines.stop()


@main.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write it ('-': standard output). The committed copy is docs/openapi.json.",
)
def openapi(output: str) -> None:
    """Print the OpenAPI document the API serves at /schema/openapi.json (no server or database needed)."""
    # Imported here: the other commands (the worker above all) never load the web framework.
    from entrypoints.http.app import create_app  # noqa: PLC0415
    from entrypoints.http.contract import openapi_document  # noqa: PLC0415

    document = openapi_document(create_app(_settings()))
    with click.open_file(output, "w", encoding="utf-8") as sink:
        sink.write(document)


@main.group()
def db() -> None:
    """Schema migrations (Alembic)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head, the newest)."""
    _migrate(migrator.upgrade, revision, done="upgraded")


@db.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (default: -1, one step back; 'base' empties the schema)."""
    _migrate(migrator.downgrade, revision, done="downgraded")


def _migrate(step: Callable[[str, str], None], revision: str, *, done: str) -> None:
    with running_engines(_settings()) as settings:
        step(settings.require_database_url(), revision)
    click.echo(f"database {done} to {revision}")


@db.command()
@click.option("-m", "--message", required=True, help="What the migration does.")
@click.option("--empty", is_flag=True, help="Do not compare the models with the database.")
def revision(message: str, empty: bool) -> None:
    """Write a new migration script from the difference between the models and the database."""
    with running_engines(_settings()) as settings:
        migrator.upgrade(settings.require_database_url())
        migrator.new_revision(settings.require_database_url(), message, autogenerate=not empty)


@main.command("seed-demo")
@click.option(
    "--products",
    type=click.IntRange(0, 1_000_000),
    default=500,
    show_default=True,
    help="How many demo products (a larger number later adds only the missing ones).",
)
@click.option("--reset", is_flag=True, help="Empty the whole database first (every table, not only the demo's).")
@click.option("--yes", is_flag=True, help="Do not ask before --reset empties the database.")
def seed_demo_command(products: int, reset: bool, yes: bool) -> None:
    """Build a demo marketplace: staff, 5 approved stores, categories, products, 20 customers.

    Runs through the use cases; a second run adds nothing. Works while `serve` runs.
    """
    settings = _settings()
    if settings.env is Environment.PRODUCTION:
        raise click.ClickException("seed-demo is for development only")
    if reset and not yes:
        click.confirm("--reset empties the whole database. Go on?", abort=True)

    async def run(container: Container) -> SeedReport:
        with progress(length=products, label="demo products") as bar:
            return await seed_demo(container, products=products, progress=bar.update)

    with running_engines(settings) as resolved:
        if reset:
            migrator.downgrade(resolved.require_database_url(), "base")
        migrator.upgrade(resolved.require_database_url())
        report = _run_on(resolved, run)
    click.echo(
        f"demo marketplace: {report.people_added} people, {report.stores_added} stores, "
        f"{report.categories_added} categories and {report.products_added} products added "
        f"({report.products_already_there} products were already there)"
    )
    rows = [(what, email, DEMO_PASSWORD) for what, email in report.credentials]
    click.echo(_table(("WHO", "LOG IN AS", "PASSWORD"), rows))


@main.group()
def users() -> None:
    """Accounts: create administrators, list accounts."""


@users.command("create-admin")
@click.option("--email", required=True, help="Login email; also where notifications go.")
@click.option("--phone", required=True, help="Mobile number, 10 digits (also a login name).")
@click.option("--national-id", required=True, help="National identity number (cédula).")
@click.option("--first-name", required=True, help="Given name.")
@click.option("--last-name", required=True, help="Family name.")
@click.option(
    "--password",
    help="Omit it: you are asked twice, without echo (or it is read from a pipe). "
    "Given here it lands in the shell history.",
)
def create_admin(
    *, email: str, phone: str, national_id: str, first_name: str, last_name: str, password: str | None
) -> None:
    """Create an active administrator account."""
    if password is None:
        password = _read_password()
    command = SignUpCommand(
        email=email,
        phone=phone,
        national_id=national_id,
        first_name=first_name,
        last_name=last_name,
        password=password,
    )
    user = _run_use_case(lambda container: container.identity.create_admin(command))
    click.echo(f"admin {user.email.value} created (id {user.id})")


@users.command("list")
@click.option("--role", type=click.Choice([role.value for role in Role]), help="Only accounts with this role.")
@click.option("--active/--inactive", "is_active", default=None, help="Only active (or inactive) accounts.")
@click.option("--search", "text", help="Text in email, phone or name.")
@click.option("--limit", type=click.IntRange(1, 100), default=50, show_default=True, help="At most this many.")
def list_users(role: str | None, is_active: bool | None, text: str | None, limit: int) -> None:
    """List accounts, newest first."""
    query = ListUsersQuery(
        actor=OPERATOR,
        user_filter=UserFilter(role=Role(role) if role else None, is_active=is_active, text=text),
        limit=limit,
    )
    page = _run_use_case(lambda container: container.identity.list_users(query))
    if not page.items:
        click.echo("no accounts match")
        return
    rows = [
        (str(user.id), user.role.value, "active" if user.is_active else "inactive", user.email.value, user.phone.value)
        for user in page.items
    ]
    click.echo(_table(("ID", "ROLE", "STATUS", "EMAIL", "PHONE"), rows))


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """Columns as wide as their widest cell, two spaces apart."""
    widths = [max(len(row[column]) for row in (header, *rows)) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    )


def _read_password() -> str:
    """Asked twice without echo on a terminal; read as one line from a pipe (no echo to control there)."""
    if sys.stdin.isatty():
        password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise click.UsageError("no password on standard input; pipe one line, or run in a terminal")
    return line


@main.group()
def jobs() -> None:
    """Batch jobs, run by the scheduler (or by hand)."""


main.add_command(catalog)
jobs.add_command(expire_checkouts)
jobs.add_command(process_imports)
jobs.add_command(relay_outbox)
jobs.add_command(purge)
main.add_command(reports)


@main.command()
def worker() -> None:
    """Run the scheduled jobs from the shared Redis queue (SAQ) until SIGTERM or Ctrl-C.

    Checkout expiry, outbox delivery and the purge, on the cron schedules of the
    settings; any number of workers on any number of machines share the queue.
    """
    from entrypoints.worker import run_worker  # noqa: PLC0415 - only this command loads the job queue

    run_worker(_settings())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
