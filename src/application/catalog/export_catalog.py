"""Use case: write a store's catalog as CSV, in the format ``ImportCatalog`` reads back unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.catalog_csv import CatalogCsvWriter
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.identity.roles import Actor

PAGE_SIZE = 1_000


@dataclass(frozen=True, slots=True)
class ExportCatalogQuery:
    actor: Actor
    merchant_id: MerchantId


@use_case
class ExportCatalog:
    """The store's products, every status, as CSV lines (the header first), newest first.

    Rules:
    - the store's members and platform staff (the operator included) read it;
      anybody else sees a 404;
    - it is read a page at a time, each in its own short transaction, so its
      memory does not grow with the catalog; a product changed while the export
      runs may appear as it was or as it became (not a snapshot);
    - importing the output into the same store changes nothing.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: ExportCatalogQuery) -> AsyncIterator[str]:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            slugs = {category.id: category.slug for category in await uow.categories.all()}
        return self._lines(query.merchant_id, slugs)

    async def _lines(self, merchant_id: MerchantId, slugs: dict[CategoryId, str]) -> AsyncIterator[str]:
        writer = CatalogCsvWriter()
        yield writer.header()
        after: ProductId | None = None
        while True:
            async with self.unit_of_work() as uow:
                page = await uow.products.list_for_store(
                    merchant_id, status=None, text=None, after=after, limit=PAGE_SIZE
                )
            for product in page:
                yield writer.product(product, slugs[product.category_id])
            if len(page) < PAGE_SIZE:
                return
            after = page[-1].id
