"""The public catalog's shared reader remembers category ids, and never serves them once they changed."""

import asyncio
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import make_url
from uuid_utils.compat import uuid7

from adapters.postgres import SqlaCatalogReads, create_catalog_read_engine, create_database_engine
from adapters.postgres.compiled import pooled_statements
from adapters.postgres.tables import CategoryRow, MerchantRow, ProductRow, UserRow
from application.ports import ProductQuery, ProductSort, StorageUnavailable
from domain.catalog.products import ProductId

NOW = datetime(2026, 11, 27, tzinfo=UTC)


async def _seed(engine) -> dict:
    ids = {name: uuid7() for name in ("user", "merchant", "ropa", "zapatos", "hogar", "product")}
    async with engine.begin() as connection:
        await connection.execute(insert(UserRow), [{
            "id": ids["user"], "email": "s@example.com", "phone": "+573100000001", "national_id": "N1",
            "first_name": "S", "last_name": "V", "password_hash": "x", "role": "merchant_manager",
            "is_active": True, "credentials_version": 1, "created_at": NOW, "updated_at": NOW,
        }])  # fmt: skip
        await connection.execute(insert(MerchantRow), [{
            "id": ids["merchant"], "name": "Tienda", "legal_id": "900000001", "description": "",
            "contact_email": "t@example.com", "applicant_id": ids["user"], "status": "approved",
            "suspension_reason": None, "created_at": NOW, "updated_at": NOW,
        }])  # fmt: skip
        for path, parent in (("ropa", None), ("ropa/zapatos", "ropa"), ("hogar", None)):
            slug = path.rsplit("/", 1)[-1]
            await connection.execute(insert(CategoryRow), [{
                "id": ids[slug], "name": slug, "slug": slug, "parent_id": parent and ids[parent], "path": path,
                "created_at": NOW, "updated_at": NOW,
            }])  # fmt: skip
        await connection.execute(insert(ProductRow), [{
            "id": ids["product"], "merchant_id": ids["merchant"], "sku": "SKU-1", "name": "Botas de cuero",
            "description": "", "price_minor": 10_000, "currency": "COP", "stock": 3,
            "category_id": ids["zapatos"], "images": [], "status": "active", "suspension_reason": None,
            "listed": True, "created_at": NOW, "updated_at": NOW,
        }])  # fmt: skip
    return ids


async def test_a_category_listing_takes_one_statement_once_its_ids_are_known_and_follows_a_move(engine):
    ids = await _seed(engine)
    statements: list[str] = []
    # The reader's statements go straight to the driver: they are counted by its own hook.
    reads = SqlaCatalogReads(engine, on_statement=lambda: statements.append("statement"))
    query = ProductQuery(category="ropa", sort=ProductSort.PRICE_ASC)
    async with reads as uow:
        first = await uow.catalog.search(query, after=None, limit=21)
    resolved = len(statements)
    statements.clear()
    async with reads as uow:
        again = await uow.catalog.search(query, after=None, limit=21)
    remembered = len(statements)

    async with engine.begin() as connection:  # zapatos moves from ropa to hogar
        await connection.execute(
            update(CategoryRow)
            .where(CategoryRow.id == ids["zapatos"])
            .values(parent_id=ids["hogar"], path="hogar/zapatos")
        )
    async with reads as uow:
        after_the_move = await uow.catalog.search(query, after=None, limit=21)
        in_hogar = await uow.catalog.search(ProductQuery(category="hogar"), after=None, limit=21)

    assert [item.id for item in first] == [item.id for item in again] == [ids["product"]]
    assert (resolved, remembered) == (2, 1)
    assert after_the_move == []
    assert [(item.id, item.category_path) for item in in_hogar] == [(ids["product"], "hogar/zapatos")]


async def test_a_read_connection_the_server_dropped_fails_one_call_as_unavailable_and_is_replaced(database_url):
    # A pool of one: without the invalidation, the dead connection would be handed out again and again.
    engine = create_database_engine(database_url, pool_size=1)
    try:
        await _seed(engine)
        reads = SqlaCatalogReads(engine)
        query = ProductQuery(text="botas")
        async with reads as uow:
            assert len(await uow.catalog.search(query, after=None, limit=21)) == 1
        async with engine.connect() as connection:  # the pool's one connection
            backend = (await connection.exec_driver_sql("SELECT pg_backend_pid()")).scalar_one()
        admin = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(False))
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", backend)
        finally:
            await admin.close()
        with pytest.raises(StorageUnavailable):
            async with reads as uow:
                await uow.catalog.search(query, after=None, limit=21)
        async with reads as uow:
            assert len(await uow.catalog.search(query, after=None, limit=21)) == 1
            assert (await uow.catalog.product(ProductId(uuid7()))) is None
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE products, categories, merchants, users CASCADE"))
        await engine.dispose()


async def test_the_catalog_reads_use_their_own_few_connections_with_generic_plans(database_url, engine):
    read_engine = create_catalog_read_engine(database_url, connections=2)
    connect = pooled_statements(read_engine)
    holding = 0
    most = 0
    backends: set[int] = set()
    plan_modes: set[str] = set()

    async def read() -> None:
        nonlocal holding, most
        async with connect() as statements:
            holding += 1
            most = max(most, holding)
            ((backend, plan_mode, _),) = await statements.fetch(
                "SELECT pg_backend_pid(), current_setting('plan_cache_mode'), pg_sleep(0.05)", ()
            )
            backends.add(backend)
            plan_modes.add(plan_mode)
            holding -= 1

    try:
        await asyncio.gather(*(read() for _ in range(6)))
    finally:
        await read_engine.dispose()
    assert (most, len(backends)) == (2, 2)
    assert plan_modes == {"force_generic_plan"}
    async with engine.connect() as connection:  # the main pool plans as PostgreSQL decides
        assert (await connection.exec_driver_sql("SHOW plan_cache_mode")).scalar_one() == "auto"


@pytest.mark.parametrize("sort", [ProductSort.NEWEST, ProductSort.PRICE_ASC, ProductSort.PRICE_DESC])
async def test_a_parent_category_pages_through_every_product_of_its_subtree_in_order(engine, sort):
    ids = await _seed(engine)  # ropa > zapatos (one product), hogar
    prices = [5_000, 12_000, 7_500, 12_000, 3_000, 9_900, 7_500]
    async with engine.begin() as connection:
        for number, price in enumerate(prices):
            await connection.execute(insert(ProductRow), [{
                "id": uuid7(), "merchant_id": ids["merchant"], "sku": f"SKU-P{number}", "name": f"Prenda {number}",
                "description": "", "price_minor": price, "currency": "COP", "stock": number,
                "category_id": ids["ropa"] if number % 2 else ids["zapatos"], "images": [], "status": "active",
                "suspension_reason": None, "listed": True, "created_at": NOW, "updated_at": NOW,
            }])  # fmt: skip
        await connection.execute(  # in another subtree: never listed under ropa
            insert(ProductRow),
            [{
                "id": uuid7(), "merchant_id": ids["merchant"], "sku": "SKU-H", "name": "Mesa", "description": "",
                "price_minor": 4_000, "currency": "COP", "stock": 1, "category_id": ids["hogar"], "images": [],
                "status": "active", "suspension_reason": None, "listed": True, "created_at": NOW, "updated_at": NOW,
            }],
        )  # fmt: skip
        rows = (
            await connection.execute(
                select(ProductRow.id, ProductRow.price_minor).where(ProductRow.category_id != ids["hogar"])
            )
        ).all()
    if sort is ProductSort.NEWEST:
        expected = [row.id for row in sorted(rows, key=lambda row: row.id, reverse=True)]
    else:
        expected = [row.id for row in sorted(rows, key=lambda row: (row.price_minor, row.id))]
        if sort is ProductSort.PRICE_DESC:
            expected.reverse()
    reads = SqlaCatalogReads(engine)
    query = ProductQuery(category="ropa", sort=sort, min_price=1)
    seen: list = []
    after = None
    async with reads as uow:
        while True:
            page = await uow.catalog.search(query, after=after, limit=3)
            seen += [item.id for item in page]
            if len(page) < 3:
                break
            after = page[-1].position
    assert seen == expected
