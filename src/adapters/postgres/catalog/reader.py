"""The public read side: listings and product pages, straight from SQL into read models."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Float, Select, bindparam, cast, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.catalog.categories import path_under
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
from domain.errors import InvalidValue
from domain.money import Currency, Money

_WORD = re.compile(r"\w+", re.UNICODE)
# Relevance ranks at most this many matches, the newest: a word in most names (or a one-letter
# prefix) must not rank and sort the whole catalog for one page (ADR 0016).
RANKED_MATCHES = 1_000
# How common the words are is probed among the newest PROBE products: at COMMON_SHARE or more, the
# matches are ranked from a walk of the newest products (a window expected to hold RANKED_MATCHES of
# them, at most MAX_WINDOW) instead of the GIN index, which would hand over every match first.
PROBE = 1_000
COMMON_SHARE = 0.05
MAX_WINDOW = 30_000


def search_terms(text: str) -> str | None:
    """``zapatos de cuero nat`` → ``zapatos & de & cuero & nat:*`` (prefix match for the last word)."""
    words = _WORD.findall(text.lower())[:8]
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def _text_query(terms: str) -> ColumnElement[Any]:
    spanish = func.to_tsquery(cast("commerce_es", REGCONFIG), terms)
    english = func.to_tsquery(cast("commerce_en", REGCONFIG), terms)
    return spanish.op("||")(english)


def _bad_position() -> InvalidValue:
    return InvalidValue("the cursor does not fit this listing", field="cursor", rule="cursor")


class SqlaCatalogReader(CatalogReader):
    """One statement per listing page and two per product page: no N+1."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def search(self, query: ProductQuery, *, after: Position | None, limit: int) -> list[ProductSummary]:
        if query.text is not None and search_terms(query.text) is None:
            return []  # nothing searchable in the words given
        category_ids: list[UUID] | None = None
        if query.category:
            # Resolved first, so that the planner sees the actual ids (and their statistics): a
            # 5-product category then reads its own index instead of walking the global price index.
            category_ids = list(await self._session.scalars(self.category_ids_statement(query.category)))
            if not category_ids:
                return []
        window: int | None = None
        terms = search_terms(query.text) if query.text else None
        if terms is not None and query.effective_sort is ProductSort.RELEVANCE:
            probe = self.common_words_probe(query, terms, category_ids=category_ids)
            found = int(await self._session.scalar(probe) or 0)
            if found >= PROBE * COMMON_SHARE:
                window = min(MAX_WINDOW, RANKED_MATCHES * PROBE * 3 // (found * 2))
        statement = self.search_statement(query, after=after, limit=limit, category_ids=category_ids, window=window)
        rows = (await self._session.execute(statement)).all()
        return [self._summary(row, query.effective_sort) for row in rows]

    def common_words_probe(
        self, query: ProductQuery, terms: str, *, category_ids: Sequence[UUID] | None = None
    ) -> Select[Any]:
        """How many of the newest PROBE products (with the other filters) match: a walk of PROBE index entries."""
        newest = (
            select(ProductRow.search_vector)
            .where(ProductRow.listed, *self._product_conditions(query, category_ids))
            .order_by(ProductRow.id.desc())
            .limit(PROBE)
            .subquery("newest")
        )
        return select(func.count()).select_from(newest).where(newest.c.search_vector.op("@@")(_text_query(terms)))

    @staticmethod
    def category_ids_statement(slug: str) -> Select[Any]:
        """The category with this slug and all its descendants."""
        requested = select(CategoryRow.path).where(CategoryRow.slug == slug).scalar_subquery()
        return select(CategoryRow.id).where(path_under(CategoryRow.path, requested))

    def search_statement(
        self,
        query: ProductQuery,
        *,
        after: Position | None,
        limit: int,
        category_ids: Sequence[UUID] | None = None,
        window: int | None = None,
    ) -> Select[Any]:
        """The statement behind a listing page (public so that tests can EXPLAIN it).

        ``category_ids`` are the requested category and its descendants, resolved beforehand
        (``category_ids_statement``); without them the category is resolved by slug inside the statement.
        ``window``: rank the matches among that many newest products (common words, see ``search``).
        """
        sort = query.effective_sort
        terms = search_terms(query.text) if query.text else None
        rank: ColumnElement[float] | None = None
        columns: list[Any] = [
            ProductRow.id,
            ProductRow.name,
            ProductRow.price_minor,
            ProductRow.currency,
            (ProductRow.stock > 0).label("in_stock"),
            ProductRow.images[1].label("image"),
            ProductRow.merchant_id,
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
        conditions = self._product_conditions(query, category_ids)
        if terms is not None:
            text_query = _text_query(terms)
            matches = ProductRow.search_vector.op("@@")(text_query)
            if sort is ProductSort.RELEVANCE:
                # Rank only the newest RANKED_MATCHES matches: for a rare word that is all of them.
                if window is None:
                    source = select(ProductRow.id, ProductRow.search_vector).where(
                        ProductRow.listed, matches, *conditions
                    )
                    found = source.subquery("matching")
                else:
                    newest = (
                        select(ProductRow.id, ProductRow.search_vector)
                        .where(ProductRow.listed, *conditions)
                        .order_by(ProductRow.id.desc())
                        .limit(window)
                        .subquery("newest")
                    )
                    found = select(newest).where(newest.c.search_vector.op("@@")(text_query)).subquery("matching")
                candidates = (
                    select(found.c.id, func.ts_rank_cd(found.c.search_vector, text_query).label("rank"))
                    .order_by(found.c.id.desc())
                    .limit(RANKED_MATCHES)
                    .cte("ranked_matches")
                    .prefix_with("MATERIALIZED")
                )
                statement = statement.join(candidates, candidates.c.id == ProductRow.id)
                rank = candidates.c.rank
                statement = statement.add_columns(rank.label("rank"))
                return self._order_and_seek(statement, sort, rank, after).limit(limit)
            conditions.append(matches)
        statement = statement.where(*conditions)
        return self._order_and_seek(statement, sort, rank, after).limit(limit)

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
            conditions.append(ProductRow.merchant_id == query.merchant_id)
        if query.min_price is not None:
            conditions.append(ProductRow.price_minor >= query.min_price)
        if query.max_price is not None:
            conditions.append(ProductRow.price_minor <= query.max_price)
        if query.in_stock is True:
            conditions.append(ProductRow.stock > 0)
        elif query.in_stock is False:
            conditions.append(ProductRow.stock == 0)
        return conditions

    @staticmethod
    def _order_and_seek(
        statement: Select[Any], sort: ProductSort, rank: ColumnElement[float] | None, after: Position | None
    ) -> Select[Any]:
        try:
            if sort is ProductSort.RELEVANCE and rank is not None:
                if after is not None:
                    statement = statement.where(
                        tuple_(rank, ProductRow.id) < tuple_(literal(float(after[0]), Float), UUID(str(after[1])))
                    )
                return statement.order_by(rank.desc(), ProductRow.id.desc())
            if sort is ProductSort.PRICE_ASC:
                if after is not None:
                    statement = statement.where(
                        tuple_(ProductRow.price_minor, ProductRow.id) > tuple_(int(after[0]), UUID(str(after[1])))
                    )
                return statement.order_by(ProductRow.price_minor.asc(), ProductRow.id.asc())
            if sort is ProductSort.PRICE_DESC:
                if after is not None:
                    statement = statement.where(
                        tuple_(ProductRow.price_minor, ProductRow.id) < tuple_(int(after[0]), UUID(str(after[1])))
                    )
                return statement.order_by(ProductRow.price_minor.desc(), ProductRow.id.desc())
            if after is not None:
                statement = statement.where(ProductRow.id < UUID(str(after[0])))
            return statement.order_by(ProductRow.id.desc())
        except (ValueError, IndexError, TypeError):
            raise _bad_position() from None

    @staticmethod
    def _summary(row: Any, sort: ProductSort) -> ProductSummary:
        position: Position
        if sort is ProductSort.RELEVANCE:
            position = (float(row.rank), str(row.id))
        elif sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
            position = (int(row.price_minor), str(row.id))
        else:
            position = (str(row.id),)
        return ProductSummary(
            id=ProductId(row.id),
            name=row.name,
            price=Money(row.price_minor, Currency(row.currency)),
            in_stock=bool(row.in_stock),
            image=row.image,
            merchant_id=MerchantId(row.merchant_id),
            merchant_name=row.merchant_name,
            category_path=row.category_path,
            created_at=row.created_at,
            position=position,
        )

    async def product(self, product_id: ProductId) -> PublicProduct | None:
        row = (
            await self._session.execute(
                select(ProductRow, MerchantRow.name.label("merchant_name"), CategoryRow.path.label("category_path"))
                .join(MerchantRow, MerchantRow.id == ProductRow.merchant_id)
                .join(CategoryRow, CategoryRow.id == ProductRow.category_id)
                .where(ProductRow.id == product_id, ProductRow.listed)
            )
        ).one_or_none()
        if row is None:
            return None
        product: ProductRow = row[0]
        chain = await self._session.execute(
            select(CategoryRow.id, CategoryRow.name, CategoryRow.slug)
            .where(
                or_(
                    CategoryRow.path == row.category_path,
                    literal(row.category_path).like(CategoryRow.path + "/%"),
                )
            )
            .order_by(func.length(CategoryRow.path))
        )
        return PublicProduct(
            id=ProductId(product.id),
            name=product.name,
            description=product.description,
            price=Money(product.price_minor, Currency(product.currency)),
            in_stock=product.stock > 0,
            images=tuple(product.images),
            merchant_id=MerchantId(product.merchant_id),
            merchant_name=row.merchant_name,
            category_id=CategoryId(product.category_id),
            category_path=tuple(CategoryStep(id=CategoryId(i), name=n, slug=s) for i, n, s in chain.all()),
            created_at=product.created_at,
            updated_at=product.updated_at,
        )
