"""Use cases: customers browse and search the public catalog."""

from __future__ import annotations

from collections.abc import Callable

from application.pagination import Page, keyset_page, page_size
from application.ports import CatalogReads, Position, ProductQuery, ProductSummary, PublicProduct
from application.use_case import use_case
from domain.catalog.products import ProductId
from domain.errors import InvalidValue, NotFound

MAX_SEARCH_WORDS = 8

ProductPage = Page[ProductSummary, Position]


@use_case
class BrowseProducts:
    """Listed products only (active, not suspended, of an approved merchant), a keyset page at a time.

    ``category`` includes its descendants. Pages never use OFFSET: a position
    is the sort key of the last product seen, so walking the pages returns
    every matching product once even while products are added.
    """

    unit_of_work: Callable[[], CatalogReads]

    async def __call__(self, query: ProductQuery, *, after: Position | None = None, limit: int = 20) -> ProductPage:
        if query.min_price is not None and query.max_price is not None and query.min_price > query.max_price:
            raise InvalidValue("min_price is above max_price", field="min_price", rule="price_range")
        if query.text is not None and len(query.text.split()) > MAX_SEARCH_WORDS:
            raise InvalidValue(f"search at most {MAX_SEARCH_WORDS} words", field="q", rule="too_many_words")
        limit = page_size(limit)
        async with self.unit_of_work() as uow:
            rows = await uow.catalog.search(query, after=after, limit=limit + 1)
        return keyset_page(rows, limit, lambda summary: summary.position)


@use_case
class GetPublicProduct:
    unit_of_work: Callable[[], CatalogReads]

    async def __call__(self, product_id: ProductId) -> PublicProduct:
        async with self.unit_of_work() as uow:
            product = await uow.catalog.product(product_id)
        if product is None:
            raise NotFound("no such product")
        return product
