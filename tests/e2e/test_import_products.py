"""ImportProducts: the rules of creating a product, for many at once, idempotent by SKU."""

import uuid

import pytest

from application.catalog.create_product import PriceInput
from application.catalog.import_products import ImportedProduct, ImportProductsCommand
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue, NotFound
from domain.identity.roles import Actor, Role, UserId
from tests.e2e.catalog_flows import create_category, open_store, public_ids
from tests.e2e.identity_flows import create_admin, log_in


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


def _item(number: int, category_id: str, **overrides) -> ImportedProduct:
    fields = {
        "sku": f"IMP-{number}",
        "name": f"Mochila de lona {number}",
        "description": "Resistente al agua",
        "price": PriceInput(amount_minor=8_990_000, currency="COP"),
        "stock": 5,
        "category_id": CategoryId(uuid.UUID(category_id)),
        "images": [],
    }
    return ImportedProduct(**{**fields, **overrides})


def _manager(store) -> Actor:
    return Actor(user_id=UserId(uuid.UUID(store.manager["user"]["id"])), role=Role.MERCHANT_MANAGER)


async def test_an_import_adds_listed_products_and_running_it_again_adds_nothing(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    category = await create_category(client, admin_tokens, "Morrales")
    import_products = client.app.state.container.catalog.import_products
    command = ImportProductsCommand(
        actor=_manager(store),
        merchant_id=MerchantId(uuid.UUID(store.id)),
        products=[_item(number, category["id"]) for number in range(30)],
    )

    first = await import_products(command)
    again = await import_products(command)

    assert (first.added, first.already_there) == (30, 0)
    assert (again.added, again.already_there) == (0, 30)
    assert len(await public_ids(client, limit=100)) == 30


async def test_one_bad_item_writes_nothing(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    category = await create_category(client, admin_tokens, "Bolsos")
    items = [_item(1, category["id"]), _item(2, category["id"], price=PriceInput(amount_minor=0, currency="COP"))]
    with pytest.raises(InvalidValue):
        await client.app.state.container.catalog.import_products(
            ImportProductsCommand(actor=_manager(store), merchant_id=MerchantId(uuid.UUID(store.id)), products=items)
        )
    assert await public_ids(client, limit=100) == []


async def test_only_the_stores_own_people_import_into_it(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    other = await open_store(client, admin_tokens)
    category = await create_category(client, admin_tokens, "Maletas")
    with pytest.raises(NotFound):
        await client.app.state.container.catalog.import_products(
            ImportProductsCommand(
                actor=_manager(other),
                merchant_id=MerchantId(uuid.UUID(store.id)),
                products=[_item(1, category["id"])],
            )
        )
