"""Catalog CSV files: import (CLI), export, and their round trip. Real PostgreSQL and Redis."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.e2e.buying_flows import counts, scalar
from tests.e2e.catalog_flows import create_category, open_store, public_ids
from tests.e2e.identity_flows import create_admin, log_in
from tests.e2e.import_flows import HEADER, commerce, read_report, row, write_csv


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


@pytest.fixture
async def store(client, admin_tokens):
    return await open_store(client, admin_tokens)


@pytest.fixture
async def slug(client, admin_tokens):
    return (await create_category(client, admin_tokens, "Morrales"))["slug"]


async def ledger_matches_stock(client) -> bool:
    mismatches = await scalar(
        client,
        "SELECT count(*) FROM products p WHERE p.stock <> "
        "(SELECT coalesce(sum(delta), 0) FROM stock_movements m WHERE m.product_id = p.id)",
    )
    return int(mismatches) == 0


def _summary(result) -> str:
    return result.output.strip().splitlines()[-2 if result.exit_code else -1]


async def test_bad_rows_are_reported_exactly_and_never_stop_the_good_ones(client, settings, store, slug, tmp_path):
    rows = [row(n, slug) for n in range(1, 11)]
    rows[2] = row(3, slug, price_minor="12.5")  # line 4
    rows[4] = row(5, slug, category_slug="no-such-category")  # line 6
    rows[6] = row(7, slug, stock=-1)  # line 8
    rows[7] = row(8, slug, sku="bad sku!")  # line 9
    rows[8] = row(9, slug, images="ftp://img.example.com/9.jpg")  # line 10
    rows.append(row(2, slug, name="The same SKU again"))  # line 12
    rows.append(row(12, slug, currency="USD"))  # line 13
    rows.append(row(13, slug, status="archived"))  # line 14: a new product cannot start archived
    file = write_csv(tmp_path / "products.csv", rows)

    first = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)

    assert first.exit_code == 1, first.output
    assert "5 created, 0 updated, 0 unchanged, 8 rejected" in first.output
    assert [(line, column) for line, column, _ in read_report(tmp_path / "products.errors.csv")] == [
        (4, "price_minor"),
        (6, "category_slug"),
        (8, "stock"),
        (9, "sku"),
        (10, "images"),
        (12, "sku"),
        (13, "currency"),
        (14, "status"),
    ]
    assert await counts(client, "products") == {"products": 5}
    assert len(await public_ids(client)) == 5
    assert await ledger_matches_stock(client)

    again = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)

    assert "0 created, 0 updated, 5 unchanged, 8 rejected" in again.output
    assert await counts(client, "products", "stock_movements") == {
        "products": 5,
        "stock_movements": await scalar(client, "SELECT count(*) FROM products WHERE stock > 0"),
    }


async def test_a_second_run_changes_nothing_and_a_changed_row_moves_stock_through_the_ledger(
    client, settings, store, slug, tmp_path
):
    rows = [row(n, slug, stock=10) for n in range(1, 6)]
    file = write_csv(tmp_path / "catalog.csv", rows)
    first = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)
    assert first.exit_code == 0, first.output
    assert "5 created, 0 updated, 0 unchanged, 0 rejected" in first.output
    assert not (tmp_path / "catalog.errors.csv").exists()

    again = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)
    assert "0 created, 0 updated, 5 unchanged, 0 rejected" in again.output
    assert await counts(client, "stock_movements") == {"stock_movements": 5}
    assert len(await public_ids(client)) == 5  # the listing is cached now

    rows[0] = row(1, slug, stock=4, name="Morral renovado")
    rows[1] = row(2, slug, stock=10, status="draft")
    changed = await commerce(settings, "catalog", "import", str(write_csv(file, rows)), "--merchant", store.id)

    assert "0 created, 2 updated, 3 unchanged, 0 rejected" in changed.output
    assert await scalar(client, "SELECT stock FROM products WHERE sku = 'CSV-1'") == 4
    assert await scalar(client, "SELECT name FROM products WHERE sku = 'CSV-1'") == "Morral renovado"
    assert await scalar(client, "SELECT delta FROM stock_movements WHERE reason = 'catalog import'") == -6
    assert await counts(client, "stock_movements") == {"stock_movements": 6}
    assert len(await public_ids(client)) == 4  # the draft left the listings: the cached page was dropped
    assert await ledger_matches_stock(client)


async def test_a_dry_run_counts_the_same_and_writes_nothing(client, settings, store, slug, tmp_path):
    file = write_csv(tmp_path / "dry.csv", [row(1, slug), row(2, slug, price_minor=0), row(3, slug)])

    result = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id, "--dry-run")

    assert "dry run: 2 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert read_report(tmp_path / "dry.errors.csv") == [
        (3, "price_minor", "a price is a positive whole number of minor units")
    ]
    assert await counts(client, "products", "stock_movements") == {"products": 0, "stock_movements": 0}


async def test_unknown_and_missing_columns_reject_the_file(client, settings, store, slug, tmp_path):
    header = (*(name for name in HEADER if name != "images"), "colour")
    file = write_csv(tmp_path / "odd.csv", [row(1, slug) | {"colour": "red"}], header=header)

    result = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)

    assert result.exit_code == 1
    assert read_report(tmp_path / "odd.errors.csv") == [
        (1, "colour", "unknown column"),
        (1, "images", "missing column"),
    ]
    assert await counts(client, "products") == {"products": 0}


async def test_columns_come_in_any_order_with_quoted_fields(client, settings, store, slug, tmp_path):
    header = tuple(reversed(HEADER))
    description = 'Dos líneas,\ncon "comillas" y comas'
    file = write_csv(tmp_path / "any.csv", [row(1, slug, description=description), row(2, slug)], header=header)

    result = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)

    assert "2 created" in result.output, result.output
    assert await scalar(client, "SELECT description FROM products WHERE sku = 'CSV-1'") == description


async def test_export_then_import_changes_nothing(client, settings, store, slug, tmp_path):
    rows = [row(n, slug, description=f'Línea "{n}",\r\ncon coma') for n in range(1, 8)]
    rows[3] = row(4, slug, status="draft", images="")
    await commerce(settings, "catalog", "import", str(write_csv(tmp_path / "in.csv", rows)), "--merchant", store.id)
    async with client.app.state.container.engine.begin() as connection:
        await connection.execute(text("UPDATE products SET status = 'archived' WHERE sku = 'CSV-5'"))

    exported = await commerce(settings, "catalog", "export", "--merchant", store.id)
    assert exported.exit_code == 0, exported.output
    out = tmp_path / "out.csv"
    out.write_bytes(exported.stdout_bytes)
    reimported = await commerce(settings, "catalog", "import", str(out), "--merchant", store.id)

    assert exported.stdout_bytes.startswith(",".join(HEADER).encode() + b"\r\n")
    assert exported.stdout_bytes.count(b"CSV-") == 7
    assert reimported.exit_code == 0, reimported.output
    assert "0 created, 0 updated, 7 unchanged, 0 rejected" in reimported.output


async def test_only_the_stores_people_and_the_operator_reach_its_catalog(client, settings, store, slug, tmp_path):
    file = write_csv(tmp_path / "x.csv", [row(1, slug)])
    missing = await commerce(
        settings, "catalog", "import", str(file), "--merchant", "00000000-0000-0000-0000-000000000001"
    )
    assert missing.exit_code == 1
    assert "no such store" in missing.output


async def test_piped_import_shows_whole_progress_lines(client, settings, store, slug, tmp_path):
    file = write_csv(tmp_path / "piped.csv", [row(n, slug) for n in range(1, 4)])
    result = await commerce(settings, "catalog", "import", str(file), "--merchant", store.id)
    assert result.exit_code == 0, result.output
    assert "rows: 100%" in result.output.splitlines()
