"""Use case: load a catalog CSV file into a store, upserting by SKU (the CLI, the API's worker, the same code)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from application.catalog.access import merchant_access
from application.catalog.catalog_csv import CatalogCsvReader, CatalogRow, RowRejected, catalog_row, column_of
from application.catalog.catalog_csv import header_errors as find_header_errors
from application.catalog.intake import ProductIntake
from application.identity.policies import OPERATOR
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import CategoryId
from domain.catalog.imports import ImportCounts, RowError
from domain.catalog.merchants import Merchant, MerchantId
from domain.catalog.products import INITIAL_STOCK, Product, ProductId, StockMovement, price
from domain.errors import DomainError, NotFound
from domain.identity.roles import Actor, UserId

BATCH_SIZE = 500
IMPORT_REASON = "catalog import"


class RejectedRows(Protocol):
    """Where the rows an import rejects go, as it finds them (a file, a list): never kept by the import."""

    def reject(self, error: RowError) -> None: ...


@dataclass(frozen=True, slots=True)
class ImportCatalogCommand:
    actor: Actor
    merchant_id: MerchantId
    lines: Iterable[str]
    """The file's text, read lazily (an open file, with ``newline=""``)."""
    rejected: RejectedRows
    dry_run: bool = False
    progress: Callable[[int], Awaitable[None]] | None = None
    """Told the number of rows done after each batch (the CLI's progress bar, the worker's lease)."""
    batch_size: int = BATCH_SIZE


@dataclass(frozen=True, slots=True)
class ImportReport:
    counts: ImportCounts
    header_rejected: bool = False


@dataclass(slots=True)
class _Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def counts(self) -> ImportCounts:
        return ImportCounts(self.created, self.updated, self.unchanged, self.rejected)


@dataclass(frozen=True, slots=True)
class _Change:
    product: Product
    listed: bool
    was_listed: bool
    delta: int
    created: bool = False


def _fields(product: Product) -> tuple[object, ...]:
    """What an import can change; equal before and after means the row is unchanged."""
    return (
        product.name,
        product.description,
        product.price,
        product.stock,
        product.category_id,
        product.images,
        product.status,
    )


async def import_access(uow: UnitOfWork, actor: Actor, merchant_id: MerchantId) -> Merchant:
    """The store's members import into it, and so does the platform operator (the CLI on the server)."""
    if actor == OPERATOR:
        merchant = await uow.merchants.get(merchant_id)
        if merchant is None:
            raise NotFound("no such store")
        return merchant
    return (await merchant_access(uow, actor, merchant_id, write=True)).merchant


@use_case
class ImportCatalog(ProductIntake):
    """Create or update a store's products from a CSV file, by SKU, row by row.

    Rules:
    - the store's manager and staff import into it, as does the platform
      operator; anybody else sees a 404 (before any row is read);
    - a header with an unknown, repeated or missing column rejects the file:
      each bad column is reported on line 1 and nothing is written;
    - every row is checked with the rules of the API: a new SKU with those of
      ``Product.create``, a known one with those of ``Product.revise``
      (an archived product stays archived); a bad row is reported (line,
      column, message) and never stops the good ones;
    - a SKU seen earlier in the file is rejected, so a file has one meaning;
    - a row equal to the stored product is unchanged and writes nothing, so
      running the same file twice changes nothing the second time;
    - the stock column sets the level: the difference is one stock-ledger
      movement (``catalog import``; a new product's is its ``initial stock``),
      taken under the row's lock so the ledger still sums to the stock;
    - rows are written in batches (one transaction each): a crash keeps the
      batches done, and running the file again completes it;
    - a dry run reads, checks and counts exactly the same, and writes nothing;
    - the public listings are invalidated after each batch that changed
      anything customers can see.
    """

    async def __call__(self, command: ImportCatalogCommand) -> ImportReport:
        async with self.unit_of_work() as uow:
            await import_access(uow, command.actor, command.merchant_id)
            categories = {category.slug: category.id for category in await uow.categories.all()}
        source = CatalogCsvReader(command.lines)
        header = source.read_header()
        tally = _Tally()
        problems = find_header_errors(header)
        if problems:
            for error in problems:
                command.rejected.reject(error)
            return ImportReport(counts=tally.counts(), header_rejected=True)
        seen: set[str] = set()  # the file's SKUs so far: the only state that grows with the file (ADR 0010)
        batch: list[CatalogRow | RowError] = []  # rows unreadable are kept in place: the report follows the file
        for line, record in source.records():
            batch.append(self._read(line, record, header, seen))
            if len(batch) >= command.batch_size:
                await self._write(command, batch, categories, tally)
                batch = []
        if batch:
            await self._write(command, batch, categories, tally)
        return ImportReport(counts=tally.counts())

    @staticmethod
    def _read(line: int, record: list[str] | RowError, header: list[str], seen: set[str]) -> CatalogRow | RowError:
        if isinstance(record, RowError):
            return record
        try:
            row = catalog_row(line, dict(zip(header, record, strict=True)))
        except RowRejected as error:
            return RowError(line, column_of(error), error.message)
        if row.sku in seen:
            return RowError(line, "sku", "the SKU appears earlier in the file")
        seen.add(row.sku)
        return row

    async def _write(
        self,
        command: ImportCatalogCommand,
        rows: list[CatalogRow | RowError],
        categories: dict[str, CategoryId],
        tally: _Tally,
    ) -> None:
        now = self.clock.now()
        changes: list[_Change] = []
        async with self.unit_of_work() as uow:
            merchant = await import_access(uow, command.actor, command.merchant_id)
            skus = [row.sku for row in rows if isinstance(row, CatalogRow)]
            locked = await uow.products.of_skus(command.merchant_id, skus, for_update=not command.dry_run)
            stored = {product.sku: product for product in locked}
            for row in rows:
                if isinstance(row, RowError):
                    command.rejected.reject(row)
                    tally.rejected += 1
                    continue
                try:
                    change = self._change(
                        command.merchant_id,
                        row,
                        stored.get(row.sku),
                        categories=categories,
                        store_open=merchant.is_open,
                        now=now,
                    )
                except DomainError as error:
                    command.rejected.reject(RowError(row.line, column_of(error), error.message))
                    tally.rejected += 1
                    continue
                if change is None:
                    tally.unchanged += 1
                    continue
                changes.append(change)
                if change.created:
                    tally.created += 1
                else:
                    tally.updated += 1
            if changes and not command.dry_run:
                actor_id = None if command.actor == OPERATOR else command.actor.user_id
                await uow.products.put_all([(change.product, change.listed) for change in changes])
                await uow.stock_ledger.record_all(
                    [self._movement(change, actor_id, now) for change in changes if change.delta]
                )
                await uow.commit()
        if changes and not command.dry_run:
            updated = [change.product.id for change in changes if not change.created]
            if updated:
                await self.cache.products_changed(updated)
            if any(change.listed or change.was_listed for change in changes):
                await self.cache.listings_changed()
        if command.progress is not None:
            await command.progress(tally.counts().rows)

    def _change(
        self,
        merchant_id: MerchantId,
        row: CatalogRow,
        existing: Product | None,
        *,
        categories: dict[str, CategoryId],
        store_open: bool,
        now: datetime,
    ) -> _Change | None:
        """What the row does to the store's product with its SKU: None when nothing."""
        category_id = categories.get(row.category_slug)
        if category_id is None:
            raise RowRejected("category_slug", f"no category has the slug {row.category_slug[:60]!r}")
        amount = price(row.price_minor, row.currency, self.currency)
        if existing is None:
            product = Product.create(
                id=ProductId(self.ids.new_id()),
                merchant_id=merchant_id,
                sku=row.sku,
                name=row.name,
                description=row.description,
                price=amount,
                stock=row.stock,
                category_id=category_id,
                images=row.images,
                status=row.status,
                now=now,
            )
            return _Change(product, product.is_listed(store_open), False, product.stock, created=True)
        product = replace(existing)
        product.revise(
            now,
            name=row.name,
            description=row.description,
            price=amount,
            category_id=category_id,
            images=row.images,
            status=row.status,
        )
        product.set_stock_level(row.stock)
        if _fields(product) == _fields(existing):
            return None
        was_listed = existing.is_listed(store_open)
        return _Change(product, product.is_listed(store_open), was_listed, product.stock - existing.stock)

    def _movement(self, change: _Change, actor_id: UserId | None, now: datetime) -> StockMovement:
        return StockMovement(
            id=self.ids.new_id(),
            product_id=change.product.id,
            delta=change.delta,
            reason=INITIAL_STOCK if change.created else IMPORT_REASON,
            actor_id=actor_id,
            resulting_level=change.product.stock,
            created_at=now,
        )
