"""Catalog domain rules at their boundaries, each failure naming its field and rule code."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.catalog.categories import MAX_DEPTH, category_name, category_slug, child_path, slugify
from domain.catalog.merchants import MerchantStatus, legal_id, store_description, store_name
from domain.catalog.products import (
    MAX_DESCRIPTION,
    MAX_IMAGES,
    ProductStatus,
    image_urls,
    product_description,
    product_name,
    stock_delta,
    stock_reason,
)
from domain.errors import Conflict, InvalidValue
from tests.unit.factories import CategoryFactory, MerchantFactory, ProductFactory

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def _rule(call, *args, **kwargs) -> tuple[str | None, str | None]:
    with pytest.raises(InvalidValue) as raised:
        call(*args, **kwargs)
    return raised.value.field, raised.value.rule


def _chain(depth: int):
    """A category ``depth`` levels deep (a root is depth 1)."""
    category = CategoryFactory.root("n1")
    for level in range(2, depth + 1):
        category = CategoryFactory.child(category, f"n{level}")
    return category


# --- categories -------------------------------------------------------------------------------------------------------


def test_a_category_at_depth_6_is_allowed_and_a_seventh_level_is_not():
    assert MAX_DEPTH == 6
    fifth = _chain(5)
    assert child_path(fifth, "n6") == "n1/n2/n3/n4/n5/n6"
    sixth = _chain(6)
    assert sixth.depth == 6
    assert _rule(child_path, sixth, "n7") == ("parent_id", "too_deep")


def test_a_root_category_path_is_its_slug():
    assert child_path(None, "ropa") == "ropa"
    assert CategoryFactory.root("ropa").depth == 1


def test_a_category_is_not_its_own_ancestor():
    ropa = CategoryFactory.root("ropa")
    assert not ropa.is_ancestor_of(ropa)
    assert ropa.is_ancestor_of(CategoryFactory.child(CategoryFactory.child(ropa, "ninos"), "zapatos"))


def test_slugs_are_1_to_60_characters_of_letters_digits_and_dashes():
    assert category_slug("  Zapatos de Niño ") == "zapatos-de-nino"
    assert category_slug("a" * 60) == "a" * 60
    for bad in ("a" * 61, "!!!", ""):
        assert _rule(category_slug, bad) == ("slug", "slug_format")


def test_slugify_drops_leading_and_trailing_separators():
    assert slugify("--¡Ofertas!--") == "ofertas"
    assert slugify("Camisetas 2x1") == "camisetas-2x1"


def test_category_names_are_1_to_80_characters():
    assert category_name("  Ropa   de  niño ") == "Ropa de niño"
    assert category_name("a" * 80) == "a" * 80
    for bad in ("a" * 81, "   "):
        assert _rule(category_name, bad) == ("name", "name_length")


# --- stores -----------------------------------------------------------------------------------------------------------


def test_store_names_are_2_to_120_characters():
    assert store_name("  Calzado   Andino ") == "Calzado Andino"
    assert store_name("ab") == "ab"
    assert store_name("a" * 120) == "a" * 120
    for bad in ("a", "a" * 121):
        assert _rule(store_name, bad) == ("name", "name_length")


def test_legal_ids_are_5_to_20_characters_once_spaces_and_dots_are_dropped():
    assert legal_id("900 123.45-k") == "90012345-K"
    assert legal_id("12345") == "12345"
    assert legal_id("1" * 20) == "1" * 20
    for bad in ("1234", "1" * 21, "900_123"):
        assert _rule(legal_id, bad) == ("legal_id", "legal_id_format")


def test_store_descriptions_are_at_most_2000_characters():
    assert store_description("  hola ") == "hola"
    assert store_description("a" * 2000) == "a" * 2000
    assert _rule(store_description, "a" * 2001) == ("description", "too_long")


@pytest.mark.parametrize("reason", ["ab", "a" * 501, "   ab   "])
def test_suspending_a_store_needs_a_reason_of_3_to_500_characters(reason):
    store = MerchantFactory.build(status=MerchantStatus.APPROVED)
    assert _rule(store.suspend, reason, LATER) == ("reason", "reason_length")
    assert store.status is MerchantStatus.APPROVED


def test_a_suspension_reason_is_kept_trimmed_and_the_time_is_stamped():
    store = MerchantFactory.build(status=MerchantStatus.APPROVED)
    store.suspend("  abc  ", LATER)
    assert (store.suspension_reason, store.updated_at) == ("abc", LATER)
    store = MerchantFactory.build(status=MerchantStatus.APPROVED)
    store.suspend("a" * 500, LATER)
    assert store.status is MerchantStatus.SUSPENDED


def test_store_decisions_stamp_the_time_and_only_approved_stores_are_open():
    store = MerchantFactory.build(status=MerchantStatus.PENDING)
    store.approve(LATER)
    assert (store.status, store.updated_at, store.is_open) == (MerchantStatus.APPROVED, LATER, True)
    store.suspend("documentos vencidos", LATER)
    assert store.is_open is False
    store.reinstate(LATER + timedelta(1))
    assert (store.status, store.updated_at, store.suspension_reason) == (
        MerchantStatus.APPROVED,
        LATER + timedelta(1),
        None,
    )


@pytest.mark.parametrize("status", [MerchantStatus.PENDING, MerchantStatus.SUSPENDED])
def test_decisions_out_of_order_are_conflicts_on_the_status(status):
    store = MerchantFactory.build(status=status)
    with pytest.raises(Conflict) as raised:
        store.suspend("documentos vencidos", LATER)
    assert raised.value.field == "status"
    assert str(status) in raised.value.message
    assert store.updated_at == NOW


def test_approving_or_reinstating_out_of_order_name_the_status():
    with pytest.raises(Conflict) as approve:
        MerchantFactory.build(status=MerchantStatus.SUSPENDED).approve(LATER)
    with pytest.raises(Conflict) as reinstate:
        MerchantFactory.build(status=MerchantStatus.PENDING).reinstate(LATER)
    assert (approve.value.field, reinstate.value.field) == ("status", "status")
    assert "suspended" in approve.value.message
    assert "pending" in reinstate.value.message


# --- products and stock -----------------------------------------------------------------------------------------------


def test_product_names_are_1_to_200_characters():
    assert product_name("  Zapatos   rojos ") == "Zapatos rojos"
    assert product_name("a" * 200) == "a" * 200
    for bad in ("", "a" * 201):
        assert _rule(product_name, bad) == ("name", "name_length")


def test_descriptions_are_at_most_10000_characters():
    assert MAX_DESCRIPTION == 10_000
    assert product_description(" x ") == "x"
    assert product_description("a" * 10_000) == "a" * 10_000
    assert _rule(product_description, "a" * 10_001) == ("description", "too_long")


def test_at_most_ten_images_each_an_http_url_of_at_most_2000_characters():
    assert MAX_IMAGES == 10
    ten = [f"http://img.example.com/{n}.jpg" for n in range(10)]
    assert image_urls(ten) == tuple(ten)
    assert _rule(image_urls, [*ten, "http://img.example.com/x.jpg"]) == ("images", "too_many")
    long_url = "https://img.example.com/" + "a" * (2_000 - len("https://img.example.com/"))
    assert image_urls([long_url]) == (long_url,)
    assert image_urls([" https://img.example.com/a.jpg "]) == ("https://img.example.com/a.jpg",)
    for bad in (long_url + "a", "https://", "ftp://img.example.com/a.jpg"):
        assert _rule(image_urls, [bad]) == ("images", "url")


def test_stock_reasons_are_2_to_200_characters():
    assert stock_reason("  llegó   pedido ") == "llegó pedido"
    assert stock_reason("ok") == "ok"
    assert stock_reason("a" * 200) == "a" * 200
    for bad in ("a", "a" * 201):
        assert _rule(stock_reason, bad) == ("reason", "reason")


def test_a_stock_delta_is_at_most_a_million_either_way():
    assert stock_delta(1_000_000) == 1_000_000
    assert stock_delta(-1_000_000) == -1_000_000
    assert stock_delta(1) == 1
    for bad in (0, 1_000_001, -1_000_001):
        assert _rule(stock_delta, bad) == ("delta", "delta")


@pytest.mark.parametrize("reason", ["ab", "a" * 501])
def test_suspending_a_product_needs_a_reason_of_3_to_500_characters(reason):
    product = ProductFactory.build()
    assert _rule(product.suspend, reason, LATER) == ("reason", "reason_length")
    assert not product.is_suspended


def test_a_suspended_product_keeps_its_trimmed_reason_until_reinstated():
    product = ProductFactory.build()
    product.suspend("  abc ", LATER)
    assert (product.suspension_reason, product.updated_at, product.is_suspended) == ("abc", LATER, True)
    product.reinstate(LATER + timedelta(1))
    assert (product.suspension_reason, product.updated_at) == (None, LATER + timedelta(1))
    with pytest.raises(Conflict) as raised:
        product.reinstate(LATER)
    assert raised.value.field == "status"


def test_archiving_stamps_the_time_and_an_archived_product_may_be_archived_again():
    product = ProductFactory.build()
    product.archive(LATER)
    assert (product.status, product.updated_at) == (ProductStatus.ARCHIVED, LATER)
    product.change_status(ProductStatus.ARCHIVED, LATER + timedelta(1))
    assert product.status is ProductStatus.ARCHIVED
    with pytest.raises(Conflict) as raised:
        product.change_status(ProductStatus.DRAFT, LATER)
    assert raised.value.field == "status"


def test_a_draft_may_go_active_and_back():
    product = ProductFactory.build(status=ProductStatus.DRAFT)
    product.change_status(ProductStatus.ACTIVE, LATER)
    assert (product.status, product.updated_at) == (ProductStatus.ACTIVE, LATER)
    product.change_status(ProductStatus.DRAFT, LATER)
    assert product.status is ProductStatus.DRAFT


def test_a_one_character_product_name_and_a_500_character_suspension_reason_are_allowed():
    assert product_name("x") == "x"
    product = ProductFactory.build()
    product.suspend("a" * 500, LATER)
    assert product.suspension_reason == "a" * 500
