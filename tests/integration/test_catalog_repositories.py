"""Catalog repositories on real PostgreSQL: rows map back to equal entities, constraints become domain errors."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from uuid_utils.compat import uuid7

from adapters.postgres import SqlaUnitOfWork, create_session_factory
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Merchant, MerchantId
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.errors import Conflict
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.users import User
from domain.money import Currency, Money

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def _unit_of_work(engine) -> SqlaUnitOfWork:
    return SqlaUnitOfWork(create_session_factory(engine), lambda: NOW)


def _product(merchant: Merchant, category: Category, sku: str = "SKU-1") -> Product:
    return Product.create(
        id=ProductId(uuid7()),
        merchant_id=merchant.id,
        sku=sku,
        name="Botas de cuero",
        description="Hechas a mano",
        price=Money(129_900, Currency("COP")),
        stock=4,
        category_id=category.id,
        images=["https://img.example.com/botas.jpg"],
        status=ProductStatus.ACTIVE,
        now=NOW,
    )


@pytest.fixture
async def store_with_category(engine) -> tuple[Merchant, Category]:
    applicant = User(
        id=UserId(uuid7()),
        email=Email("dueno@example.com"),
        phone=Phone("+573001234567"),
        national_id=NationalId("1020304050"),
        first_name="Ana",
        last_name="Ruiz",
        password_hash="x",
        role=Role.CUSTOMER,
        is_active=True,
        created_at=NOW,
        updated_at=NOW,
    )
    merchant = Merchant.apply_for(
        id=MerchantId(uuid7()),
        name="Calzado Andino",
        legal_id="900123456-1",
        description="",
        contact_email="t@example.com",
        applicant_id=applicant.id,
        now=NOW,
    )
    category = Category.create(id=CategoryId(uuid7()), name="Zapatos", slug=None, parent=None)
    async with _unit_of_work(engine) as uow:
        await uow.users.add(applicant)
        await uow.merchants.add(merchant)
        await uow.categories.add(category)
        await uow.commit()
    return merchant, category


async def test_a_saved_product_reads_back_equal_to_what_was_written(engine, store_with_category):
    merchant, category = store_with_category
    product = _product(merchant, category)
    async with _unit_of_work(engine) as uow:
        await uow.products.add(product, listed=True)
        await uow.commit()
    async with _unit_of_work(engine) as uow:
        stored = await uow.products.get(product.id, for_update=True)
        assert stored == product
        assert stored is not None
        stored.revise(NOW, name="Botas altas", images=[])
        await uow.products.save(stored, listed=False)
        await uow.commit()
    async with _unit_of_work(engine) as uow:
        reloaded = await uow.products.get(product.id)
        assert reloaded is not None
        # advanced-alchemy's audit columns stamp updated_at on every UPDATE with the wall clock.
        assert reloaded == replace(stored, updated_at=reloaded.updated_at)
        assert await uow.products.get(product.id, merchant_id=MerchantId(uuid7())) is None


async def test_a_sku_used_twice_in_a_store_is_a_conflict_on_sku(engine, store_with_category):
    merchant, category = store_with_category
    async with _unit_of_work(engine) as uow:
        await uow.products.add(_product(merchant, category), listed=True)
        with pytest.raises(Conflict) as raised:
            await uow.products.add(_product(merchant, category), listed=True)
    assert raised.value.field == "sku"


async def test_deleting_a_category_that_products_still_use_is_a_conflict_not_a_database_error(
    engine, store_with_category
):
    # The use case checks first; this is the race where a product arrives between its check and the delete.
    merchant, category = store_with_category
    async with _unit_of_work(engine) as uow:
        await uow.products.add(_product(merchant, category), listed=True)
        await uow.commit()
    async with _unit_of_work(engine) as uow:
        with pytest.raises(Conflict) as raised:
            await uow.categories.delete(category.id)
    assert raised.value.field == "category"
