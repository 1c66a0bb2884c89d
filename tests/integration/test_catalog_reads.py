"""The public catalog's shared reader remembers category ids, and never serves them once they changed."""

from datetime import UTC, datetime

from sqlalchemy import event, insert, update
from uuid_utils.compat import uuid7

from adapters.postgres import SqlaCatalogReads
from adapters.postgres.tables import CategoryRow, MerchantRow, ProductRow, UserRow
from application.ports import ProductQuery, ProductSort

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
    reads = SqlaCatalogReads(engine)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
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
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert [item.id for item in first] == [item.id for item in again] == [ids["product"]]
    assert (resolved, remembered) == (2, 1)
    assert after_the_move == []
    assert [(item.id, item.category_path) for item in in_hogar] == [(ids["product"], "hogar/zapatos")]
