"""ImportProducts on fakes: every item checked before anything is written; a rerun adds nothing."""

import pytest

from application.catalog.create_product import PriceInput
from application.catalog.import_products import MAX_IMPORT, ImportedProduct, ImportProducts, ImportProductsCommand
from domain.catalog.merchants import MerchantStatus
from domain.errors import InvalidValue, NotFound
from domain.money import Currency
from tests.unit.test_catalog_products import Shop, open_shop


def _import(shop: Shop) -> ImportProducts:
    return ImportProducts(
        unit_of_work=shop.uow, clock=shop.world.clock, ids=shop.world.ids, currency=Currency("COP"), cache=shop.cache
    )


def _items(shop: Shop, count: int, **overrides) -> list[ImportedProduct]:
    fields = {
        "name": "Sombrero vueltiao",
        "description": "Hecho a mano",
        "price": PriceInput(amount_minor=12_990_000, currency="COP"),
        "stock": 4,
        "category_id": shop.category.id,
        "images": [],
    }
    return [ImportedProduct(**{"sku": f"SV-{n}", **fields, **overrides}) for n in range(count)]


async def test_an_import_adds_every_product_with_its_initial_stock_and_a_rerun_adds_nothing():
    shop = open_shop()
    command = ImportProductsCommand(actor=shop.manager, merchant_id=shop.store.id, products=_items(shop, 3))

    first = await _import(shop)(command)
    again = await _import(shop)(command)

    assert (first.added, first.already_there) == (3, 0)
    assert (again.added, again.already_there) == (0, 3)
    assert len(shop.world.database.products) == 3
    assert all(shop.is_listed(product) for product in shop.world.database.products.values())
    assert [movement.delta for movement in shop.world.database.stock_movements] == [4, 4, 4]
    assert shop.cache.listings_invalidated == 1  # once for the first import, never for the rerun


async def test_one_invalid_item_writes_nothing():
    shop = open_shop()
    items = [*_items(shop, 2), *_items(shop, 1, price=PriceInput(amount_minor=0, currency="COP"))]
    with pytest.raises(InvalidValue):
        await _import(shop)(ImportProductsCommand(actor=shop.manager, merchant_id=shop.store.id, products=items))
    assert shop.world.database.products == {}


async def test_a_sku_twice_in_one_import_and_too_many_items_are_refused():
    shop = open_shop()
    twice = [*_items(shop, 1), *_items(shop, 1)]
    with pytest.raises(InvalidValue, match="twice"):
        await _import(shop)(ImportProductsCommand(actor=shop.manager, merchant_id=shop.store.id, products=twice))
    many = _items(shop, MAX_IMPORT + 1)
    with pytest.raises(InvalidValue, match="at most"):
        await _import(shop)(ImportProductsCommand(actor=shop.manager, merchant_id=shop.store.id, products=many))


async def test_outsiders_get_a_404_and_a_pending_merchants_products_are_not_listed():
    shop = open_shop()
    with pytest.raises(NotFound):
        await _import(shop)(
            ImportProductsCommand(actor=shop.outsider, merchant_id=shop.store.id, products=_items(shop, 1))
        )
    pending = open_shop(MerchantStatus.PENDING)
    await _import(pending)(
        ImportProductsCommand(actor=pending.manager, merchant_id=pending.store.id, products=_items(pending, 2))
    )
    assert len(pending.world.database.products) == 2
    assert not any(pending.is_listed(product) for product in pending.world.database.products.values())
