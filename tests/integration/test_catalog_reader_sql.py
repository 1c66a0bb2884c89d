"""The catalog reader compiles each statement shape once: only its named parameters may vary."""

import itertools
from uuid import UUID

import pytest
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql.compiler import SQLCompiler
from uuid_utils.compat import uuid7

from adapters.postgres.catalog import SqlaCatalogReader, search_terms
from adapters.postgres.catalog.listing_parameters import id_list, listing_values, seek_values
from application.ports import ProductQuery, ProductSort
from domain.catalog.merchants import MerchantId

CATEGORY_IDS = (UUID("0192f000-0000-7000-8000-000000000001"), UUID("0192f000-0000-7000-8000-000000000002"))


def _compiled(
    query: ProductQuery, after, limit: int, window: int | None, *, probe: bool = False, checked: bool = False
) -> SQLCompiler:
    reader = SqlaCatalogReader(None)  # type: ignore[arg-type]  # only builds the statements
    terms = search_terms(query.text) if query.text else None
    if probe:
        statement = reader.common_words_probe(query, terms or "", category_ids=CATEGORY_IDS)
    else:
        statement = reader.search_statement(
            query,
            after=after,
            limit=limit,
            category_ids=CATEGORY_IDS if query.category else None,
            window=window,
            checked=checked,
        )
    compiled = statement.compile(dialect=asyncpg_dialect(), compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)
    return compiled


def _after(sort: ProductSort, key: float, product_id: UUID) -> tuple:
    if sort is ProductSort.RELEVANCE:
        return (key / 1000, str(product_id))
    if sort in (ProductSort.PRICE_ASC, ProductSort.PRICE_DESC):
        return (int(key), str(product_id))
    return (str(product_id),)


def _shapes() -> list[tuple]:
    every = itertools.product(
        list(ProductSort), [None, "zapatos cue"], [None, "ropa"], [False, True], [True],
        [None, False], [False, True], [None, 4_000], [False, True],
    )  # fmt: skip
    return [
        (sort, text, category, merchant, prices, in_stock, paged, window, checked)
        for sort, text, category, merchant, prices, in_stock, paged, window, checked in every
        if (window is None or (text is not None and sort is ProductSort.RELEVANCE)) and (category or not checked)
    ]


@pytest.mark.parametrize("shape", _shapes())
def test_two_queries_of_one_shape_differ_only_in_named_parameters(shape):
    """Otherwise the second query would run with a value of the first (the SQL is cached per shape)."""
    sort, text, category, merchant, prices, in_stock, paged, window, checked = shape
    compiled = []
    for seed in (1, 2):
        query = ProductQuery(
            text=f"{text} {'abc'[seed]}" if text else None,
            category=category,
            merchant_id=MerchantId(uuid7()) if merchant else None,
            min_price=100 * seed if prices else None,
            max_price=10_000 * seed if prices else None,
            in_stock=in_stock,
            sort=sort,
        )
        after = _after(query.effective_sort, 500 * seed, uuid7()) if paged else None
        terms = search_terms(query.text) if query.text else None
        named = listing_values(query, terms, query.effective_sort, after, 20 + seed) | {
            "window": window and window + seed,
            "category_check": id_list(CATEGORY_IDS) if checked else None,
        }
        statements = [_compiled(query, after, 20 + seed, named["window"], checked=checked)]
        if terms is not None:
            statements.append(_compiled(query, after, 20 + seed, None, probe=True))
        compiled.append((named, statements))
    (first_named, first), (second_named, second) = compiled
    for one, other in zip(first, second, strict=True):
        assert one.string == other.string
        one_values, other_values = one.construct_params(), other.construct_params()
        for name in one.positiontup or ():
            if one_values[name] != other_values[name]:
                assert name in first_named, f"{name} varies but is not a named parameter"
                assert (first_named[name], second_named[name]) == (one_values[name], other_values[name])
    if checked:  # the page statement carries the ids it was built for
        assert first[0].construct_params()["category_check"] == id_list(CATEGORY_IDS)


def test_a_cursor_that_does_not_fit_the_sort_is_refused_before_any_sql():
    with pytest.raises(Exception, match="cursor"):
        seek_values(ProductSort.PRICE_ASC, ("not a price", str(uuid7())))
