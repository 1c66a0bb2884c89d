"""The batch jobs (``commerce jobs ...``) and ``commerce reports sales``: thin over the use cases."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import click

from application.housekeeping.purge_expired import PurgeCommand
from application.identity.policies import OPERATOR
from application.notifications.deliver_outbox import DeliverOutboxCommand
from application.ordering.expire_checkouts import ExpireCheckoutsCommand
from application.ordering.sales_report import SalesReportQuery
from application.ports.jobs import SalesDay
from domain.catalog.merchants import MerchantId
from entrypoints.cli_runtime import run_use_case

F = TypeVar("F", bound=Callable[..., Any])

SALES_COLUMNS = ("day", "currency", "orders", "units", "gross_minor", "tax_minor", "refunds_minor")


def batch_size_option(*, most: int, default: int, meaning: str) -> Callable[[F], F]:
    """The ``--batch-size`` option of a job; ``meaning`` is its help text."""
    return click.option("--batch-size", type=click.IntRange(1, most), default=default, show_default=True, help=meaning)


@click.command("expire-checkouts")
@batch_size_option(most=1000, default=100, meaning="How many expired checkouts to settle per transaction.")
def expire_checkouts(batch_size: int) -> None:
    """Expire unpaid checkouts past their deadline and return their stock."""
    command = ExpireCheckoutsCommand(actor=OPERATOR, batch_size=batch_size)
    report = run_use_case(lambda container: container.ordering.expire_checkouts(command))
    click.echo(
        f"expired {report.checkouts} checkouts ({report.orders} orders, {report.units_returned} units back in stock); "
        f"refunded {report.late_charges_refunded} late charges; "
        f"forgot {report.idempotency_keys_forgotten} idempotency keys"
    )


@click.command("relay-outbox")
@click.option("--once", is_flag=True, help="One batch, then stop (default: until nothing is due).")
@batch_size_option(most=1000, default=50, meaning="How many messages to claim at a time.")
def relay_outbox(once: bool, batch_size: int) -> None:
    """Deliver the pending outbox messages (mail with COMMERCE_SMTP_URL, else the log); failures retry later."""
    command = DeliverOutboxCommand(actor=OPERATOR, batch_size=batch_size, max_batches=1 if once else None)
    report = run_use_case(lambda container: container.jobs.deliver_outbox(command))
    click.echo(f"delivered {report.sent} notifications; {report.failed} failed and will be retried")


@click.command()
@batch_size_option(most=10_000, default=1000, meaning="How many rows to delete per transaction.")
def purge(batch_size: int) -> None:
    """Delete expired refresh tokens, revoked-token rows, idempotency keys, activation codes and old sent mail."""
    command = PurgeCommand(actor=OPERATOR, batch_size=batch_size)
    report = run_use_case(lambda container: container.jobs.purge_expired(command))
    click.echo(
        f"purged {report.refresh_tokens} refresh tokens, {report.revoked_access_tokens} revoked access tokens, "
        f"{report.idempotency_keys} idempotency keys, {report.activation_codes} activation codes, "
        f"{report.sent_notifications} sent notifications"
    )


@click.group()
def reports() -> None:
    """Reports computed in the database."""


def _day(_context: click.Context, _parameter: click.Parameter, value: datetime) -> date:
    return value.date()


@reports.command()
@click.option("--merchant", "merchant_id", required=True, type=click.UUID, help="The store's id.")
@click.option(
    "--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]), callback=_day, help="First day (UTC)."
)
@click.option(
    "--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]), callback=_day, help="Last day (UTC), included."
)
@click.option(
    "--format", "output", type=click.Choice(["csv", "json"]), default="csv", show_default=True, help="Output format."
)
def sales(merchant_id: UUID, first: date, last: date, output: str) -> None:
    """A store's sales per day: orders, units, gross and tax (invoices), refunds (credit notes), in minor units."""
    query = SalesReportQuery(actor=OPERATOR, merchant_id=MerchantId(merchant_id), first=first, last=last)
    days = run_use_case(lambda container: container.jobs.sales_report(query))
    if output == "json":
        click.echo(json.dumps([_row(day) for day in days], indent=2))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=SALES_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(day) for day in days)


def _row(day: SalesDay) -> dict[str, str | int]:
    return {
        "day": day.day.isoformat(),
        "currency": day.currency,
        "orders": day.orders,
        "units": day.units,
        "gross_minor": day.gross_minor,
        "tax_minor": day.tax_minor,
        "refunds_minor": day.refunds_minor,
    }
