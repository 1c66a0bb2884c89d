"""``commerce catalog import|export``, ``commerce jobs process-imports``: thin adapters over catalog use cases."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import signal
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self
from uuid import UUID

import click

from application.catalog.export_catalog import ExportCatalogQuery
from application.catalog.import_catalog import ImportCatalogCommand, ImportReport
from application.identity.policies import OPERATOR
from domain.catalog.imports import ImportStatus, RowError
from domain.catalog.merchants import MerchantId
from entrypoints.cli_runtime import run_use_case
from entrypoints.container import Container
from entrypoints.progress import progress

POLL_SECONDS = 2.0


class ErrorReport:
    """``FILE.errors.csv``: one row per rejected row, written as found; removed when a run rejects nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file: IO[str] | None = None
        self._writer: csv.DictWriter[str] | None = None

    def reject(self, error: RowError) -> None:
        if self._writer is None:
            self._file = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._file, ("line", "column", "message"), lineterminator="\r\n")
            self._writer.writeheader()
        self._writer.writerow({"line": error.line, "column": error.column, "message": error.message})
        self.count += 1

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._file is not None:
            self._file.close()
        elif self.path.exists():
            self.path.unlink()  # a report of an earlier run would describe rows this run accepted


def errors_path(file: Path) -> Path:
    """``products.csv`` → ``products.errors.csv``."""
    stem = file.name.removesuffix(".csv") if file.name.lower().endswith(".csv") else file.name
    return file.with_name(f"{stem}.errors.csv")


@click.group()
def catalog() -> None:
    """A store's catalog as CSV files: import and export."""


@catalog.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--merchant", "merchant_id", required=True, type=click.UUID, help="The store to import into.")
@click.option("--dry-run", is_flag=True, help="Check and count every row, write nothing (the report is written).")
def import_command(file: Path, merchant_id: UUID, dry_run: bool) -> None:
    """Create or update the store's products from FILE (CSV), by SKU, as the platform operator.

    Columns (any order): sku,name,description,price_minor,currency,stock,category_slug,status,images
    (images separated by '|'). Rejected rows go to FILE.errors.csv (line, column, message); the
    others are imported. Running the same file again changes nothing. Exit status 1 when anything
    was rejected.
    """

    report_path = errors_path(file)
    started = time.monotonic()
    with (
        file.open("rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ErrorReport(report_path) as report,
        progress(length=file.stat().st_size, label="rows", show_pos=False) as bar,
    ):

        async def advance(_rows: int) -> None:
            bar.update(raw.tell() - bar.pos)

        command = ImportCatalogCommand(
            actor=OPERATOR,
            merchant_id=MerchantId(merchant_id),
            lines=text,
            rejected=report,
            dry_run=dry_run,
            progress=advance,
        )
        try:
            outcome: ImportReport = run_use_case(lambda container: container.catalog.import_catalog(command))
        except UnicodeDecodeError as error:
            raise click.ClickException(f"{file} is not UTF-8 text (byte {error.start} of a chunk)") from None
        bar.update(file.stat().st_size - bar.pos)
    seconds = time.monotonic() - started
    counts = outcome.counts
    if outcome.header_rejected:
        click.echo(f"the header row is not the catalog format; see {report_path}", err=True)
        sys.exit(1)
    rate = counts.rows / seconds if seconds > 0 else 0.0
    click.echo(
        f"{'dry run: ' if dry_run else ''}{counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged, {counts.rejected} rejected; "
        f"{counts.rows} rows in {seconds:.1f} s ({rate:,.0f} rows/s)"
    )
    if counts.rejected:
        click.echo(f"rejected rows: {report_path}", err=True)
        sys.exit(1)


@catalog.command("export")
@click.option("--merchant", "merchant_id", required=True, type=click.UUID, help="The store to export.")
def export_command(merchant_id: UUID) -> None:
    """Write the store's products (every status) as CSV to standard output, as `catalog import` reads it."""

    sink = sys.stdout.buffer

    async def export(container: Container) -> None:
        lines = await container.catalog.export_catalog(
            ExportCatalogQuery(actor=OPERATOR, merchant_id=MerchantId(merchant_id))
        )
        async for line in lines:
            sink.write(line.encode("utf-8"))
        sink.flush()

    run_use_case(export)


@click.command("process-imports")
@click.option("--once", is_flag=True, help="Process the imports waiting now, then exit (default: keep polling).")
def process_imports(once: bool) -> None:
    """Process catalog files uploaded to the API, one at a time (run several for more throughput).

    SIGTERM or Ctrl-C stops it after the import in hand; one killed outright loses its lease,
    and another process takes the file again.
    """

    async def run(container: Container) -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            # Off the main thread (an embedding, a test runner) signals stay with their owner.
            with contextlib.suppress(RuntimeError, ValueError):
                loop.add_signal_handler(signum, stop.set)
        processed = 0
        while not stop.is_set():
            catalog_import = await container.catalog.process_next_import()
            if catalog_import is not None:
                processed += 1
                counts = catalog_import.counts
                outcome = (
                    f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
                    f"{counts.rejected} rejected"
                    if catalog_import.status is ImportStatus.DONE
                    else f"failed: {catalog_import.failure}"
                )
                click.echo(f"import {catalog_import.id} ({catalog_import.file_name}): {outcome}")
                continue
            if once:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
        return processed

    processed = run_use_case(run)
    click.echo(f"processed {processed} imports")
