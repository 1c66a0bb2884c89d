"""The public read side: listings and product pages, straight from SQL into read models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    Uuid,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.selectable import AliasedReturnsRows

from adapters.postgres.catalog.categories import path_under
from adapters.postgres.catalog.listing_parameters import id_list, listing_shape, listing_values
from adapters.postgres.catalog.product_page import PRODUCT_PAGE_COLUMNS, category_chain_statement, product_statement
from adapters.postgres.catalog.relevance import (
    RANKED_MATCHES,
    RankingWindows,
    probe_statement,
    ranking_window,
    search_terms,
    text_query,
)
from adapters.postgres.catalog.sorting import card_columns, order_and_seek, per_category_page
from adapters.postgres.compiled import Connect, Statements, run_compiled
from adapters.postgres.tables import CategoryRow, MerchantRow, ProductRow
from application.ports import (
    CatalogReader,
    CategoryStep,
    Position,
    ProductQuery,
    ProductSort,
    ProductSummary,
    PublicProduct,
)
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.money import Currency, Money

MAX_REMEMBERED_CATEGORIES = 1_000


class SqlaCatalogReader(CatalogReader):
    """Two statements at most per listing page and per product page: no N+1.

    SQLAlchemy Core, never the ORM session: each statement shape is compiled once per process and
    sent to the driver with positional parameters, and rows go straight into the read models.
    """

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        # Category slug -> the ids of it and its descendants, as last resolved (checked on every use).
        self._category_ids: dict[str, tuple[UUID, ...]] = {}
        self._windows = RankingWindows()

    async def search(self, query: ProductQuery, *, after: Position | None, limit: int) -> list[ProductSummary]:
        terms = search_terms(query.text) if query.text else None
        if query.text is not None and terms is None:
            return []  # nothing searchable in the words given
        values = listing_values(query, terms, query.effective_sort, after, limit)
        async with self._connect() as connection:
            known = self._category_ids.get(query.category) if query.category else None
            if known is not None:
                # One statement: the page, with the category's ids remembered from an earlier call and
                # checked inside it (no rows when they changed since: then they are resolved again).
                rows = await self._page(connection, query, terms, values, known, after=after, checked=True)
                if rows:
                    return rows
            category_ids: tuple[UUID, ...] | None = None
            if query.category:
                category_ids = await self._resolve(connection, query.category)
                if not category_ids:
                    return []
                if category_ids == known:
                    return []  # the ids were right: the page is empty
            # Checked too (true unless the category changes meanwhile): one statement text per shape, not two.
            checked = category_ids is not None
            return await self._page(connection, query, terms, values, category_ids, after=after, checked=checked)

    async def _resolve(self, connection: Statements, slug: str) -> tuple[UUID, ...]:
        """The ids of the category and its descendants, first, so that the planner sees them (and their
        statistics): a 5-product category then reads its own index instead of walking the global price index."""
        found = await run_compiled(
            connection, "category_ids", lambda: self.category_ids_statement(slug), {"slug": slug}
        )
        ids = tuple(sorted(row[0] for row in found))
        if len(self._category_ids) >= MAX_REMEMBERED_CATEGORIES:
            self._category_ids.clear()
        self._category_ids[slug] = ids
        return ids

    async def _page(
        self,
        connection: Statements,
        query: ProductQuery,
        terms: str | None,
        values: dict[str, Any],
        category_ids: tuple[UUID, ...] | None,
        *,
        after: Position | None,
        checked: bool,
    ) -> list[ProductSummary]:
        sort, limit = query.effective_sort, values["limit"]
        shape = listing_shape(query, terms, category_ids)
        window: int | None = None
        if terms is not None and sort is ProductSort.RELEVANCE:
            window = await self._window(connection, query, category_ids, values)
        parameters = values | {"window": window, "category_check": id_list(category_ids) if checked else None}
        rows = await run_compiled(
            connection,
            ("page", shape, sort, after is not None, window is not None, checked),
            lambda: self.search_statement(
                query, after=after, limit=limit, category_ids=category_ids, window=window, checked=checked
            ),
            parameters,
        )
        return [self._summary(row, sort) for row in rows]

    async def _window(
        self, connection: Statements, query: ProductQuery, category_ids: tuple[UUID, ...] | None, values: dict[str, Any]
    ) -> int | None:
        """The ranking window for this search, probed (one statement) unless remembered."""
        terms: str = values["terms"]
        section = (terms, category_ids, query.category, query.merchant_id, query.in_stock)
        remembered = self._windows.recall(section)
        if remembered is not None:
            return remembered.window
        shape = listing_shape(query, terms, category_ids)
        conditions = self._product_conditions(query, category_ids)
        probe = await run_compiled(connection, ("probe", shape), lambda: probe_statement(terms, conditions), values)
        walked, matched, listed_estimate = probe[0]
        return self._windows.keep(section, ranking_window(int(walked), int(matched), float(listed_estimate or 0)))

    def common_words_probe(
        self, query: ProductQuery, terms: str, *, category_ids: Sequence[UUID] | None = None
    ) -> Select[int, int, float]:
        """The probe of ``ranking_window`` for this listing (public so that tests can compile it)."""
        return probe_statement(terms, self._product_conditions(query, category_ids))

    @staticmethod
    def category_ids_statement(slug: str) -> Select[Any]:
        """The category with this slug and all its descendants."""
        requested = select(CategoryRow.path).where(CategoryRow.slug == bindparam("slug", slug)).scalar_subquery()
        return select(CategoryRow.id).where(path_under(CategoryRow.path, requested))

    def search_statement(
        self,
        query: ProductQuery,
        *,
        after: Position | None,
        limit: int,
        category_ids: Sequence[UUID] | None = None,
        window: int | None = None,
        checked: bool = False,
    ) -> Select[Any]:
        """The statement behind a listing page (public so that tests can EXPLAIN it).

        ``category_ids`` are the requested category and its descendants, resolved beforehand
        (``category_ids_statement``); without them the category is resolved by slug inside the statement.
        ``checked``: no rows unless ``category_ids`` are still those of the category (remembered ids).
        ``window``: rank the matches among that many newest products (common words, see ``search``).
        """
        sort = query.effective_sort
        terms = search_terms(query.text) if query.text else None
        rank: ColumnElement[float] | None = None
        columns: list[Any] = [
            *card_columns(),
            MerchantRow.name.label("merchant_name"),
            CategoryRow.path.label("category_path"),
            ProductRow.created_at,
        ]
        statement: Select[Any] = (
            select(*columns)
            .join(MerchantRow, MerchantRow.id == ProductRow.merchant_id)
            .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
            # The bare column (not `IS true`): the partial indexes' predicate is `WHERE listed`.
            .where(ProductRow.listed)
        )
        still_current: list[ColumnElement[bool]] = []
        if checked and query.category and category_ids is not None:
            # Uncorrelated, so evaluated once (an InitPlan): a false one-time filter reads no products.
            current = self.category_ids_statement(query.category).subquery("current_ids")
            listed_ids = func.array_to_string(func.array_agg(aggregate_order_by(current.c.id, current.c.id)), ",")
            check = bindparam("category_check", id_list(category_ids), type_=String)
            still_current.append(select(listed_ids).scalar_subquery() == check)
            statement = statement.where(*still_current)
        page_size = bindparam("limit", limit, type_=Integer)
        if terms is None and category_ids is not None and len(category_ids) > 1:
            others = self._product_conditions(replace(query, category=None), None)
            return per_category_page(query, category_ids, others, still_current, after=after, page_size=page_size)
        conditions = self._product_conditions(query, category_ids)
        if terms is not None:
            words = text_query(terms)
            matches = ProductRow.search_vector.op("@@")(words)
            if sort is ProductSort.RELEVANCE:
                # Rank only the newest RANKED_MATCHES matches (for a rare word, all of them): the matches
                # carry just their id and vector, ts_rank runs on those RANKED_MATCHES only, and the
                # products table is read again for the page's rows alone (at 100,000 products a 9,000-match
                # word ranked every match and carried every column through a sort: 55 ms, spilling).
                found: AliasedReturnsRows
                if window is None:
                    # Materialized: every match first (a GIN bitmap scan), so that the newest-first LIMIT below
                    # cannot turn it into a walk of the newest products that filters as it goes (which reads
                    # the whole table when the planner overestimates the matches).
                    found = (
                        select(ProductRow.id, ProductRow.search_vector)
                        .where(ProductRow.listed, matches, *conditions)
                        .cte("matching")
                        .prefix_with("MATERIALIZED")
                    )
                else:
                    newest = (
                        select(ProductRow.id, ProductRow.search_vector)
                        .where(ProductRow.listed, *conditions)
                        .order_by(ProductRow.id.desc())
                        .limit(bindparam("window", window, type_=Integer))
                        .subquery("newest")
                    )
                    found = select(newest).where(newest.c.search_vector.op("@@")(words)).subquery("matching")
                newest_matches = (
                    select(found.c.id, found.c.search_vector)
                    .order_by(found.c.id.desc())
                    .limit(RANKED_MATCHES)
                    .subquery("newest_matches")
                )
                ranked = (
                    select(newest_matches.c.id, func.ts_rank(newest_matches.c.search_vector, words).label("rank"))
                    .cte("ranked_matches")
                    .prefix_with("MATERIALIZED")
                )
                best = order_and_seek(
                    select(ranked.c.id, ranked.c.rank), sort, ranked.c.rank, after, product_id=ranked.c.id
                )
                page = best.limit(page_size).subquery("page")
                return (
                    statement.add_columns(page.c.rank)
                    .join(page, page.c.id == ProductRow.id)
                    .order_by(page.c.rank.desc(), page.c.id.desc())
                )
            conditions.append(matches)
        statement = statement.where(*conditions)
        return order_and_seek(statement, sort, rank, after).limit(page_size)

    def _product_conditions(
        self, query: ProductQuery, category_ids: Sequence[UUID] | None
    ) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if category_ids is not None:
            # Inline values, not parameters: a generic plan would assume an average category again.
            ids: Any = bindparam("category_ids", list(category_ids), expanding=True, literal_execute=True)
            conditions.append(ProductRow.category_id.in_(ids))
        elif query.category:
            conditions.append(ProductRow.category_id.in_(self.category_ids_statement(query.category)))
        if query.merchant_id is not None:
            conditions.append(ProductRow.merchant_id == bindparam("merchant_id", query.merchant_id, type_=Uuid))
        if query.min_price is not None:
            conditions.append(ProductRow.price_minor >= bindparam("min_price", query.min_price, type_=BigInteger))
        if query.max_price is not None:
            conditions.append(ProductRow.price_minor <= bindparam("max_price", query.max_price, type_=BigInteger))
        if query.in_stock is True:
            conditions.append(ProductRow.stock > 0)
        elif query.in_stock is False:
            conditions.append(ProductRow.stock == 0)
        return conditions

    @staticmethod
    def _summary(row: Sequence[Any], sort: ProductSort) -> ProductSummary:
        # By position, in the order of search_statement's columns: a driver record's fields are
        # cheapest read that way (a name lookup costs ten times more per field).
        product_id, name, price_minor, currency, in_stock, image, merchant_id, merchant_name, path, created = row[:10]
        position: Position
        if sort is ProductSort.RELEVANCE:
            position = (float(row[10]), str(product_id))
        elif sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
            position = (int(price_minor), str(product_id))
        else:
            position = (str(product_id),)
        return ProductSummary(
            id=ProductId(product_id),
            name=name,
            price=Money(price_minor, Currency(currency)),
            in_stock=bool(in_stock),
            image=image,
            merchant_id=MerchantId(merchant_id),
            merchant_name=merchant_name,
            category_path=path,
            created_at=created,
            position=position,
        )

    async def product(self, product_id: ProductId) -> PublicProduct | None:
        async with self._connect() as connection:
            found = await run_compiled(connection, "product", product_statement, {"product_id": product_id})
            if not found:
                return None
            row = found[0]
            chain = await run_compiled(
                connection, "category_chain", category_chain_statement, {"category_path": row[-1]}
            )
        product = dict(zip(PRODUCT_PAGE_COLUMNS, row, strict=True))
        return PublicProduct(
            id=ProductId(product["id"]),
            name=product["name"],
            description=product["description"],
            price=Money(product["price_minor"], Currency(product["currency"])),
            in_stock=product["stock"] > 0,
            images=tuple(product["images"]),
            merchant_id=MerchantId(product["merchant_id"]),
            merchant_name=product["merchant_name"],
            category_id=CategoryId(product["category_id"]),
            category_path=tuple(CategoryStep(id=CategoryId(i), name=n, slug=s) for i, n, s in chain),
            created_at=product["created_at"],
            updated_at=product["updated_at"],
        )
