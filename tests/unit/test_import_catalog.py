"""ImportCatalog and ProcessNextImport on fakes: the rules of a catalog file, row by row."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from application.catalog.catalog_csv import COLUMNS
from application.catalog.import_catalog import ImportCatalog, ImportCatalogCommand
from application.catalog.process_next_import import ProcessNextImport
from application.identity.policies import OPERATOR
from domain.catalog.imports import MAX_ATTEMPTS, CatalogImport, CatalogImportId, ImportCounts, ImportStatus, RowError
from domain.catalog.products import ProductStatus
from domain.errors import NotFound
from domain.identity.roles import Actor
from domain.money import Currency
from tests.unit.test_catalog_products import Shop, open_shop


class Rejected:
    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def reject(self, error: RowError) -> None:
        self.errors.append(error)


def _use_case(shop: Shop) -> ImportCatalog:
    return ImportCatalog(
        unit_of_work=shop.uow, clock=shop.world.clock, ids=shop.world.ids, currency=Currency("COP"), cache=shop.cache
    )


def _line(sku: str, *, price: str = "1990000", stock: str = "3", status: str = "active", name: str = "Ruana") -> str:
    values = {
        "sku": sku,
        "name": name,
        "description": "Lana virgen",
        "price_minor": price,
        "currency": "COP",
        "stock": stock,
        "category_slug": "ropa",
        "status": status,
        "images": "https://img.example.com/r.jpg",
    }
    return ",".join(values[column] for column in COLUMNS) + "\r\n"


def _file(*lines: str) -> io.StringIO:
    return io.StringIO(",".join(COLUMNS) + "\r\n" + "".join(lines), newline="")


async def _run(shop: Shop, text: io.StringIO, actor: Actor | None = None, **options):
    rejected = Rejected()
    command = ImportCatalogCommand(
        actor=actor or shop.manager, merchant_id=shop.store.id, lines=text, rejected=rejected, **options
    )
    report = await _use_case(shop)(command)
    return report.counts, rejected.errors


async def test_an_archived_product_stays_archived_and_an_archived_row_for_it_is_unchanged():
    shop = open_shop()
    shop.add_product(sku="R-1", status=ProductStatus.ARCHIVED)
    shop.add_product(sku="R-2", status=ProductStatus.ARCHIVED)

    counts, errors = await _run(shop, _file(_line("R-1", status="active"), _line("R-2", status="archived")))

    assert errors == [RowError(2, "status", "an archived product stays archived; create a new one")]
    assert (counts.rejected, counts.updated) == (1, 1)  # R-2 took the file's name, price and stock


async def test_a_second_run_writes_nothing_at_all():
    shop = open_shop()
    text = "".join(_line(f"R-{n}") for n in range(5))
    await _run(shop, _file(text))
    commits = shop.world.database.commits
    invalidations = shop.cache.listings_invalidated

    counts, _ = await _run(shop, _file(text))

    assert counts == ImportCounts(unchanged=5)
    assert shop.world.database.commits == commits
    assert shop.cache.listings_invalidated == invalidations


async def test_a_dry_run_counts_like_a_real_one_and_writes_nothing():
    shop = open_shop()
    existing = shop.add_product(sku="R-0", stock=1)

    counts, errors = await _run(shop, _file(_line("R-0"), _line("R-1"), _line("R-2", price="-5")), dry_run=True)

    assert counts == ImportCounts(created=1, updated=1, rejected=1)
    assert [error.column for error in errors] == ["price_minor"]
    assert shop.world.database.commits == 0
    assert shop.stored(existing).stock == 1
    assert shop.world.database.stock_movements == []


async def test_stock_is_set_through_one_ledger_movement_of_the_difference():
    shop = open_shop()
    product = shop.add_product(sku="R-1", stock=10, status=ProductStatus.ACTIVE)

    counts, _ = await _run(shop, _file(_line("R-1", stock="4", name=product.name)))

    assert counts.updated == 1
    assert shop.stored(product).stock == 4
    [movement] = shop.world.database.stock_movements
    assert (movement.delta, movement.resulting_level, movement.reason) == (-6, 4, "catalog import")
    assert movement.actor_id == shop.manager.user_id


async def test_rows_go_in_batches_and_progress_is_told_after_each():
    shop = open_shop()
    done: list[int] = []

    async def progress(rows: int) -> None:
        done.append(rows)

    counts, _ = await _run(shop, _file(*(_line(f"R-{n}") for n in range(5))), batch_size=2, progress=progress)

    assert counts.created == 5
    assert done == [2, 4, 5]


async def test_a_record_with_the_wrong_number_of_fields_is_reported_on_its_line():
    shop = open_shop()
    counts, errors = await _run(shop, _file(_line("R-1"), "R-2,too,few\r\n", "\r\n", _line("R-3")))
    assert errors == [RowError(3, "", "expected 9 fields, found 3")]
    assert (counts.created, counts.rejected) == (2, 1)


async def test_the_operator_imports_into_any_store_and_outsiders_and_support_get_a_404():
    shop = open_shop()
    counts, _ = await _run(shop, _file(_line("R-1")), actor=OPERATOR)
    assert counts.created == 1
    assert shop.world.database.stock_movements[0].actor_id is None
    for actor in (shop.outsider, shop.support):
        with pytest.raises(NotFound):
            await _run(shop, _file(_line("R-2")), actor=actor)


def _processor(shop: Shop) -> ProcessNextImport:
    return ProcessNextImport(
        unit_of_work=shop.uow, clock=shop.world.clock, import_catalog=_use_case(shop), lease=timedelta(minutes=2)
    )


async def _upload(shop: Shop, content: bytes) -> CatalogImport:
    catalog_import = CatalogImport.request(
        id=CatalogImportId(shop.world.ids.new_id()),
        merchant_id=shop.store.id,
        requested_by=shop.staff,
        file_name="f.csv",
        size=len(content),
        now=shop.world.clock.now(),
    )
    async with shop.uow() as uow:
        await uow.catalog_imports.add(catalog_import, content)
        await uow.commit()
    return catalog_import


async def test_a_file_that_is_not_utf8_fails_the_import_with_the_reason():
    shop = open_shop()
    await _upload(shop, (",".join(COLUMNS) + "\r\n").encode() + _line("R-1", name="Ruana\xff").encode("latin-1"))

    processed = await _processor(shop)()

    assert processed is not None
    assert processed.status is ImportStatus.FAILED
    assert processed.failure == "the file is not UTF-8 text"


async def test_an_import_claimed_too_often_fails_instead_of_running_again():
    shop = open_shop()
    uploaded = await _upload(shop, _file(_line("R-1")).getvalue().encode())
    for _ in range(MAX_ATTEMPTS):
        async with shop.uow() as uow:
            assert await uow.catalog_imports.claim_next(shop.world.clock.now(), timedelta(seconds=1))
            await uow.commit()
        shop.world.clock.advance(seconds=2)

    processed = await _processor(shop)()

    assert processed is not None
    assert processed.id == uploaded.id
    assert processed.status is ImportStatus.FAILED
    assert shop.world.database.products == {}
