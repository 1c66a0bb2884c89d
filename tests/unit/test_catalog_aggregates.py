"""Catalog aggregates own their changes: creation and revision validate every field, all or nothing."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Merchant, MerchantId, MerchantStatus
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId
from domain.money import Currency, Money

NOW = datetime(2026, 11, 26, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
COP = Currency("COP")


def new_product(**changes) -> Product:
    values = {
        "id": ProductId(UUID(int=3)),
        "merchant_id": MerchantId(UUID(int=1)),
        "sku": " SKU-1 ",
        "name": "  Botas   de cuero ",
        "description": " Hechas a mano ",
        "price": Money(129_900, COP),
        "stock": 0,
        "category_id": CategoryId(UUID(int=4)),
        "images": ["https://img.example.com/a.jpg"],
        "status": ProductStatus.DRAFT,
        "now": NOW,
    }
    return Product.create(**{**values, **changes})


def test_a_new_product_has_its_fields_normalised_and_starts_unsuspended():
    product = new_product()
    assert (product.sku, product.name, product.description) == ("SKU-1", "Botas de cuero", "Hechas a mano")
    assert product.images == ("https://img.example.com/a.jpg",)
    assert product.created_at == product.updated_at == NOW
    assert not product.is_suspended


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"status": ProductStatus.ARCHIVED}, "status", "status"),
        ({"stock": -1}, "stock", "non_negative"),
        ({"sku": "no spaces allowed"}, "sku", "sku"),
        ({"name": "   "}, "name", "name_length"),
        ({"images": ["ftp://x.example.com/a.jpg"]}, "images", "url"),
    ],
)
def test_a_new_product_with_a_bad_field_is_refused_naming_the_field_and_rule(changes, field, rule):
    with pytest.raises(InvalidValue) as raised:
        new_product(**changes)
    assert (raised.value.field, raised.value.rule) == (field, rule)


def test_revising_changes_only_the_fields_given_and_stamps_the_time():
    product = new_product()
    product.revise(LATER, name=" Botas  altas ", price=Money(99_900, COP), status=ProductStatus.ACTIVE)
    assert product.name == "Botas altas"
    assert product.price == Money(99_900, COP)
    assert product.status is ProductStatus.ACTIVE
    assert product.description == "Hechas a mano"
    assert product.images == ("https://img.example.com/a.jpg",)
    assert product.updated_at == LATER


def test_revising_validates_like_creation():
    product = new_product()
    with pytest.raises(InvalidValue) as raised:
        product.revise(LATER, description="x" * 10_001)
    assert raised.value.field == "description"


def test_an_archived_product_cannot_be_revised_back_to_sale():
    product = new_product(status=ProductStatus.ACTIVE)
    product.archive(LATER)
    with pytest.raises(Conflict):
        product.revise(LATER, status=ProductStatus.ACTIVE)
    assert product.status is ProductStatus.ARCHIVED


def test_a_store_application_is_pending_with_its_fields_validated():
    merchant = Merchant.apply_for(
        id=MerchantId(UUID(int=1)),
        name="  Calzado   Andino ",
        legal_id="900.123.456-1",
        description="",
        contact_email="Tienda@Example.com",
        applicant_id=UserId(UUID(int=2)),
        now=NOW,
    )
    assert merchant.status is MerchantStatus.PENDING
    assert (merchant.name, merchant.legal_id) == ("Calzado Andino", "900123456-1")
    assert merchant.contact_email == "tienda@example.com"
    assert merchant.suspension_reason is None


def tree() -> tuple[Category, Category, Category]:
    ropa = Category.create(id=CategoryId(UUID(int=1)), name="Ropa", slug=None, parent=None)
    zapatos = Category.create(id=CategoryId(UUID(int=2)), name="Zapatos de Niño", slug=None, parent=ropa)
    hogar = Category.create(id=CategoryId(UUID(int=3)), name="Hogar", slug="casa", parent=None)
    return ropa, zapatos, hogar


def test_a_new_category_takes_its_slug_from_its_name_and_its_path_from_its_parent():
    ropa, zapatos, hogar = tree()
    assert (zapatos.slug, zapatos.path, zapatos.parent_id) == ("zapatos-de-nino", "ropa/zapatos-de-nino", ropa.id)
    assert (hogar.slug, hogar.path, hogar.parent_id) == ("casa", "casa", None)


def test_moving_a_category_recomputes_its_path_and_renaming_keeps_its_place():
    ropa, zapatos, hogar = tree()
    zapatos.revise(name=None, slug="calzado", parent=hogar)
    assert (zapatos.path, zapatos.parent_id, zapatos.name) == ("casa/calzado", hogar.id, "Zapatos de Niño")
    ropa.revise(name="Ropa y moda", slug=None, parent=None)
    assert (ropa.name, ropa.path) == ("Ropa y moda", "ropa")


def test_a_category_cannot_move_under_itself_or_its_descendants_and_stays_unchanged():
    ropa, zapatos, _ = tree()
    for parent in (ropa, zapatos):
        with pytest.raises(InvalidValue) as raised:
            ropa.revise(name="Otra", slug=None, parent=parent)
        assert raised.value.rule == "cycle"
    assert (ropa.name, ropa.path, ropa.parent_id) == ("Ropa", "ropa", None)
