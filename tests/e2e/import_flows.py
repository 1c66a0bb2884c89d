"""Steps of the catalog-file flows (CSV import and export), shared by the e2e tests."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from click.testing import CliRunner, Result

from entrypoints.cli import main
from entrypoints.settings import Settings

HEADER = ("sku", "name", "description", "price_minor", "currency", "stock", "category_slug", "status", "images")


def row(number: int, slug: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "sku": f"CSV-{number}",
        "name": f"Morral de lona {number}",
        "description": "Resistente al agua, con bolsillo interno",
        "price_minor": 8_990_000 + number,
        "currency": "COP",
        "stock": number % 7,
        "category_slug": slug,
        "status": "active",
        "images": f"https://img.example.com/{number}.jpg|https://img.example.com/{number}-b.jpg",
    }
    return values | overrides


def csv_text(rows: list[dict[str, object]], header: tuple[str, ...] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[dict[str, object]], header: tuple[str, ...] = HEADER) -> Path:
    path.write_text(csv_text(rows, header), encoding="utf-8", newline="")
    return path


def read_report(path: Path) -> list[tuple[int, str, str]]:
    with path.open(encoding="utf-8", newline="") as report:
        return [(int(r["line"]), r["column"], r["message"]) for r in csv.DictReader(report)]


async def commerce(settings: Settings, *args: str) -> Result:
    """Run the ``commerce`` CLI on the test servers, off the test's event loop."""
    return await asyncio.to_thread(
        CliRunner().invoke,
        main,
        list(args),
        env={
            "COMMERCE_DATABASE_URL": settings.require_database_url(),
            "COMMERCE_REDIS_URL": settings.require_redis_url(),
            "COMMERCE_LOG_LEVEL": "WARNING",
        },
    )
