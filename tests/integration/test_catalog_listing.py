"""The public listing against a few thousand real rows: keyset pagination and index use."""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text
from uuid_utils.compat import uuid7

from adapters.postgres import SqlaUnitOfWork, create_session_factory
from adapters.postgres.catalog import SqlaCatalogReader
from adapters.postgres.tables import CategoryRow, MerchantRow, ProductRow, UserRow
from application.catalog.browse import BrowseProducts
from application.ports import ProductQuery, ProductSort
from domain.catalog.merchants import MerchantId

NOW = datetime(2026, 11, 26, tzinfo=UTC)
# A scan of one of the partial indexes that hold only what customers may see.
LISTED_INDEX = re.compile(r"(Index Scan(?: Backward)? using|Bitmap Index Scan on) ix_products_listed_\w+")
WORDS = ["zapatos", "camisa", "cuero", "niño", "azul", "rojo", "mesa", "madera", "botas", "café", "algodón", "lana"]
PRICES = [1_000, 2_500, 5_000, 9_900, 15_000, 49_900]  # few distinct prices: many ties, broken by id
CATEGORY_PATHS = ["ropa", "ropa/zapatos", "ropa/camisas", "hogar", "hogar/cocina", "hogar/cocina/ollas"]


@dataclass
class Seeded:
    merchants: list[MerchantId]
    products: dict[str, dict]  # id -> row values (only listed products)
    rng: random.Random


def _user_row(index: int) -> dict:
    return {
        "id": uuid7(), "email": f"seller{index}@example.com", "phone": f"+57310{index:07d}",
        "national_id": f"N{index:08d}", "first_name": "S", "last_name": "V", "password_hash": "x",
        "role": "merchant_manager", "is_active": True, "credentials_version": 1, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


def _merchant_row(index: int, applicant_id) -> dict:
    return {
        "id": uuid7(), "name": f"Tienda {index}", "legal_id": f"90000000{index}", "description": "",
        "contact_email": "t@example.com", "applicant_id": applicant_id, "status": "approved",
        "suspension_reason": None, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


async def _insert_products(connection, rows: list[dict]) -> None:
    for start in range(0, len(rows), 500):
        await connection.execute(insert(ProductRow), rows[start : start + 500])


def _product_row(rng: random.Random, merchant_id, category_id, index: int, *, listed: bool | None = None) -> dict:
    name = " ".join(rng.sample(WORDS, 2)).capitalize()
    return {
        "id": uuid7(), "merchant_id": merchant_id, "sku": f"SKU-{index}-{rng.randrange(10**9)}", "name": name,
        "description": " ".join(rng.sample(WORDS, 4)), "price_minor": rng.choice(PRICES), "currency": "COP",
        "stock": rng.choice([0, 0, 1, 3, 7]), "category_id": category_id, "images": [], "status": "active",
        "suspension_reason": None, "listed": rng.random() > 0.1 if listed is None else listed,
        "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


@pytest.fixture
async def seeded(engine) -> Seeded:
    rng = random.Random(20261126)
    async with engine.begin() as connection:
        users = [_user_row(index) for index in range(3)]
        await connection.execute(insert(UserRow), users)
        merchants = [_merchant_row(index, user["id"]) for index, user in enumerate(users)]
        await connection.execute(insert(MerchantRow), merchants)
        categories: dict[str, object] = {}
        for path in CATEGORY_PATHS:
            parent = categories.get(path.rsplit("/", 1)[0]) if "/" in path else None
            category_id = uuid7()
            slug = path.rsplit("/", 1)[-1]
            await connection.execute(
                insert(CategoryRow),
                [{"id": category_id, "name": slug, "slug": slug, "parent_id": parent, "path": path,
                  "created_at": NOW, "updated_at": NOW}],
            )  # fmt: skip
            categories[path] = category_id
        rows = [
            _product_row(rng, rng.choice(merchants)["id"], rng.choice(list(categories.values())), index)
            for index in range(3000)
        ]
        await _insert_products(connection, rows)
        await connection.execute(text("ANALYZE products"))
    category_paths = {value: key for key, value in categories.items()}
    products = {
        str(row["id"]): row | {"category_path": category_paths[row["category_id"]]} for row in rows if row["listed"]
    }
    seeded = Seeded(merchants=[MerchantId(m["id"]) for m in merchants], products=products, rng=rng)
    seeded.categories = categories  # type: ignore[attr-defined]
    return seeded


def _random_query(rng: random.Random, seeded: Seeded) -> ProductQuery:
    low = rng.choice([None, *PRICES])
    high = rng.choice([None, *[price for price in PRICES if low is None or price >= low]])
    return ProductQuery(
        text=rng.choice([None, None, rng.choice(WORDS), rng.choice(WORDS)[:3], " ".join(rng.sample(WORDS, 2))]),
        category=rng.choice([None, "ropa", "zapatos", "hogar", "cocina", "ollas"]),
        merchant_id=rng.choice([None, *seeded.merchants]),
        min_price=low,
        max_price=high,
        in_stock=rng.choice([None, True, False]),
        sort=rng.choice(list(ProductSort)),
    )


def _matches_without_text(row: dict, query: ProductQuery) -> bool:
    if query.category and not ("/" + row["category_path"] + "/").count("/" + query.category + "/"):
        return False
    if query.merchant_id is not None and row["merchant_id"] != query.merchant_id:
        return False
    if query.min_price is not None and row["price_minor"] < query.min_price:
        return False
    if query.max_price is not None and row["price_minor"] > query.max_price:
        return False
    return query.in_stock is None or (row["stock"] > 0) == query.in_stock


async def test_walking_the_cursors_yields_exactly_the_matching_set_in_order(engine, seeded):
    factory = create_session_factory(engine)
    browse = BrowseProducts(unit_of_work=lambda: SqlaUnitOfWork(factory, lambda: NOW))
    rng = seeded.rng
    categories = seeded.categories
    for round_number in range(30):
        query = _random_query(rng, seeded)
        async with SqlaUnitOfWork(factory, lambda: NOW) as uow:
            everything = await uow.catalog.search(query, after=None, limit=100_000)
        expected = [str(item.id) for item in everything]

        walked: list[str] = []
        after = None
        page_size = rng.randint(1, 100)
        while True:
            page = await browse(query, after=after, limit=page_size)
            walked += [str(item.id) for item in page.items]
            if page.next_position is None:
                break
            after = page.next_position
            if rng.random() < 0.3:  # products keep arriving while people page
                path = rng.choice(CATEGORY_PATHS)
                merchant = rng.choice(seeded.merchants)
                new = _product_row(rng, merchant, categories[path], 10_000 + round_number, listed=True)
                async with engine.begin() as connection:
                    await _insert_products(connection, [new])
                seeded.products[str(new["id"])] = new | {"category_path": path}

        assert len(walked) == len(set(walked)), f"duplicates in round {round_number}: {query}"
        seen = [product_id for product_id in walked if product_id in set(expected)]
        assert seen == expected, f"round {round_number}: {query}"
        if query.text is None:
            matching = {pid for pid, row in seeded.products.items() if _matches_without_text(row, query)}
            assert set(expected) == matching, f"round {round_number}: {query}"
        prices = [item.price.amount_minor for item in everything]
        if query.effective_sort is ProductSort.PRICE_ASC:
            assert prices == sorted(prices)
        if query.effective_sort is ProductSort.PRICE_DESC:
            assert prices == sorted(prices, reverse=True)
        if query.effective_sort is ProductSort.NEWEST:
            assert expected == sorted(
                expected,
                key=lambda product_id: seeded.products.get(product_id, {}).get("id") or product_id,
                reverse=True,
            )


async def _plan(engine, query: ProductQuery) -> str:
    reader = SqlaCatalogReader(None)  # type: ignore[arg-type]  # only builds the statement
    statement = reader.search_statement(query, after=None, limit=21)
    async with engine.connect() as connection:
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
        compiled = statement.compile(dialect=connection.dialect)
        params = compiled.construct_params()
        positional = tuple(params[name] for name in compiled.positiontup or ())
        result = await connection.exec_driver_sql("EXPLAIN " + compiled.string, positional)
        return "\n".join(row[0] for row in result.all())


@pytest.mark.parametrize("sort", list(ProductSort))
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"text": "zapatos cue"},
        {"category": "ropa"},
        {"min_price": 2_000, "max_price": 20_000},
        {"in_stock": True},
        {"category": "hogar", "in_stock": True, "min_price": 1_000},
        {"text": "mesa", "category": "hogar"},
    ],
)
async def test_every_filter_and_sort_is_served_by_an_index(engine, seeded, sort, filters):
    query = ProductQuery(sort=sort, **filters)
    plan = await _plan(engine, query)
    assert "Seq Scan on products" not in plan, plan
    assert LISTED_INDEX.search(plan), plan


async def test_the_merchant_filter_is_served_by_an_index(engine, seeded):
    for sort in ProductSort:
        plan = await _plan(engine, ProductQuery(sort=sort, merchant_id=seeded.merchants[0]))
        assert "Seq Scan on products" not in plan, plan
        assert LISTED_INDEX.search(plan), plan


async def test_full_text_search_can_use_its_gin_index(engine, seeded):
    """With few rows the planner may prefer a cheaper index; the GIN index must still serve search.

    Relevance ranks the newest matches, which the primary key can also supply in order: on these
    few rows that walk is cheaper, so plain index scans are off too (bitmap scans stay on).
    """
    reader = SqlaCatalogReader(None)  # type: ignore[arg-type]  # only builds the statement
    statement = reader.search_statement(ProductQuery(text="zapatos cue"), after=None, limit=21)
    async with engine.connect() as connection:
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
        await connection.execute(text("SET LOCAL enable_indexscan = off"))
        for index in (await connection.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'products' "
            "AND indexname <> 'ix_products_listed_search' AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%'"
        ))).scalars().all():  # fmt: skip
            await connection.execute(text(f'DROP INDEX "{index}"'))  # rolled back below
        compiled = statement.compile(dialect=connection.dialect)
        params = compiled.construct_params()
        positional = tuple(params[name] for name in compiled.positiontup or ())
        plan = "\n".join(
            row[0] for row in (await connection.exec_driver_sql("EXPLAIN " + compiled.string, positional)).all()
        )
        await connection.rollback()
    assert "Bitmap Index Scan on ix_products_listed_search" in plan, plan
