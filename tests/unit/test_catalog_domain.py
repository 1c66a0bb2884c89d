from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.catalog.categories import Category, CategoryId, child_path, slugify
from domain.catalog.merchants import Merchant, MerchantId, MerchantStatus, legal_id
from domain.catalog.products import Product, ProductId, ProductStatus, image_urls, price, stock_delta
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId
from domain.money import Currency, Money

NOW = datetime(2026, 11, 26, tzinfo=UTC)
COP = Currency("COP")


def a_store(status: MerchantStatus = MerchantStatus.PENDING) -> Merchant:
    return Merchant(
        id=MerchantId(UUID(int=1)),
        name="Tienda",
        legal_id="900123456",
        description="",
        contact_email="t@example.com",
        applicant_id=UserId(UUID(int=2)),
        status=status,
        suspension_reason=None,
        created_at=NOW,
        updated_at=NOW,
    )


def a_product(status: ProductStatus = ProductStatus.ACTIVE) -> Product:
    return Product(
        id=ProductId(UUID(int=3)),
        merchant_id=MerchantId(UUID(int=1)),
        sku="SKU-1",
        name="Zapatos",
        description="",
        price=Money(1000, COP),
        stock=3,
        category_id=CategoryId(UUID(int=4)),
        images=(),
        status=status,
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_store_goes_pending_approved_suspended_approved():
    store = a_store()
    assert not store.is_open
    store.approve(NOW)
    assert store.is_open
    store.suspend("documentos vencidos", NOW)
    assert not store.is_open
    assert store.suspension_reason == "documentos vencidos"
    store.reinstate(NOW)
    assert store.is_open
    assert store.suspension_reason is None


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (MerchantStatus.APPROVED, lambda store: store.approve(NOW)),
        (MerchantStatus.PENDING, lambda store: store.suspend("por qué no", NOW)),
        (MerchantStatus.APPROVED, lambda store: store.reinstate(NOW)),
    ],
)
def test_store_decisions_out_of_order_are_conflicts(status, decide):
    store = a_store(status)
    with pytest.raises(Conflict):
        decide(store)
    assert store.status is status


def test_a_product_is_listed_only_when_active_unsuspended_and_its_store_is_open():
    product = a_product()
    assert product.is_listed(store_open=True)
    assert not product.is_listed(store_open=False)
    product.suspend("imagen engañosa", NOW)
    assert not product.is_listed(store_open=True)
    product.reinstate(NOW)
    assert product.is_listed(store_open=True)
    assert not a_product(ProductStatus.DRAFT).is_listed(store_open=True)


def test_an_archived_product_stays_archived():
    product = a_product()
    product.archive(NOW)
    with pytest.raises(Conflict):
        product.change_status(ProductStatus.ACTIVE, NOW)


@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [(0, "COP", "price.amount_minor"), (-5, "COP", "price.amount_minor"), (100, "USD", "price.currency")],
)
def test_prices_are_positive_and_in_the_marketplace_currency(amount, currency, field):
    with pytest.raises(InvalidValue) as raised:
        price(amount, currency, COP)
    assert raised.value.field == field
    assert price(150_000, "cop", COP) == Money(150_000, COP)


def test_stock_deltas_are_non_zero_and_bounded():
    assert stock_delta(-3) == -3
    for bad in (0, 1_000_001, -1_000_001):
        with pytest.raises(InvalidValue):
            stock_delta(bad)


def test_images_are_http_urls_and_few():
    assert image_urls(["https://img.example.com/a.jpg"]) == ("https://img.example.com/a.jpg",)
    with pytest.raises(InvalidValue):
        image_urls(["javascript:alert(1)"])
    with pytest.raises(InvalidValue):
        image_urls(["https://x.example.com/a.jpg"] * 11)


def test_slugs_fold_accents_and_paths_nest_with_a_limit():
    assert slugify("Zapatos de Niño & Niña") == "zapatos-de-nino-nina"
    root = Category(id=CategoryId(UUID(int=1)), name="Ropa", slug="ropa", parent_id=None, path="ropa")
    assert child_path(root, "zapatos") == "ropa/zapatos"
    deep = Category(id=CategoryId(UUID(int=2)), name="x", slug="f", parent_id=None, path="a/b/c/d/e/f")
    with pytest.raises(InvalidValue):
        child_path(deep, "g")
    assert root.is_ancestor_of(
        Category(id=CategoryId(UUID(int=3)), name="z", slug="z", parent_id=root.id, path="ropa/z")
    )
    assert not root.is_ancestor_of(
        Category(id=CategoryId(UUID(int=4)), name="r", slug="r", parent_id=None, path="ropas")
    )


def test_legal_ids_are_normalised():
    assert legal_id("900.123.456-1") == "900123456-1"
    with pytest.raises(InvalidValue):
        legal_id("12")
