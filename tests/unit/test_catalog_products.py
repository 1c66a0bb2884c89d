"""Product use cases on fakes: create, revise, archive, stock, moderation, store listings."""

from dataclasses import dataclass
from typing import Any

import pytest

from application.catalog.archive_product import ArchiveProduct, ArchiveProductCommand
from application.catalog.create_product import CreateProduct, CreateProductCommand, PriceInput
from application.catalog.get_merchant_product import GetMerchantProduct, GetMerchantProductQuery
from application.catalog.list_merchant_products import ListMerchantProducts, MerchantProductsQuery
from application.catalog.move_stock import MoveStock, MoveStockCommand
from application.catalog.reinstate_product import ReinstateProduct, ReinstateProductCommand
from application.catalog.revise_product import ReviseProduct, ReviseProductCommand
from application.catalog.suspend_product import SuspendProduct, SuspendProductCommand
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Membership, Merchant, MerchantStatus, StoreRole
from domain.catalog.products import Product, ProductId, ProductStatus
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound, OutOfStock
from domain.identity.roles import Actor, Role
from domain.money import Money
from tests.unit.factories import COP, CategoryFactory, MerchantFactory, ProductFactory, UserFactory, new_id
from tests.unit.fakes import IdentityWorld, RecordingCatalogCache
from tests.unit.pages import page_of


@dataclass
class Shop:
    world: IdentityWorld
    cache: RecordingCatalogCache
    store: Merchant
    manager: Actor
    staff: Actor
    support: Actor
    outsider: Actor
    category: Category

    def add_product(self, **fields) -> Product:
        fields.setdefault("merchant_id", self.store.id)
        fields.setdefault("category_id", self.category.id)
        product = ProductFactory.build(**fields)
        self.world.database.products[product.id] = product
        if product.is_listed(self.store.is_open):
            self.world.database.listed.add(product.id)
        return product

    def stored(self, product: Product) -> Product:
        return self.world.database.products[product.id]

    def is_listed(self, product: Product) -> bool:
        return product.id in self.world.database.listed

    @property
    def uow(self):
        return self.world.unit_of_work


def _person(world: IdentityWorld, role: Role) -> Actor:
    user = UserFactory.build(role=role)
    world.database.users[user.id] = user
    return Actor(user.id, role)


def open_shop(status: MerchantStatus = MerchantStatus.APPROVED) -> Shop:
    world = IdentityWorld()
    store = MerchantFactory.build(status=status)
    world.database.merchants[store.id] = store
    manager = _person(world, Role.MERCHANT_MANAGER)
    staff = _person(world, Role.MERCHANT_STAFF)
    for actor, role in ((manager, StoreRole.MANAGER), (staff, StoreRole.STAFF)):
        world.database.memberships[actor.user_id] = Membership(store.id, actor.user_id, role, world.clock.now())
    category = CategoryFactory.root("ropa")
    world.database.categories[category.id] = category
    return Shop(
        world=world,
        cache=RecordingCatalogCache(),
        store=store,
        manager=manager,
        staff=staff,
        support=_person(world, Role.SUPPORT),
        outsider=_person(world, Role.CUSTOMER),
        category=category,
    )


@pytest.fixture
def shop() -> Shop:
    return open_shop()


# --- creating ---------------------------------------------------------------------------------------------------------


def _create(shop: Shop) -> CreateProduct:
    return CreateProduct(
        unit_of_work=shop.uow, clock=shop.world.clock, ids=shop.world.ids, currency=COP, cache=shop.cache
    )


def new_product(shop: Shop, actor: Actor | None = None, **overrides) -> CreateProductCommand:
    values: dict[str, Any] = {
        "actor": actor or shop.staff,
        "merchant_id": shop.store.id,
        "sku": " ZAP-001 ",
        "name": "  Zapatos   de cuero ",
        "description": " Hechos a mano ",
        "price": PriceInput(150_000, "cop"),
        "stock": 4,
        "category_id": shop.category.id,
        "images": [" https://img.example.com/a.jpg "],
        "status": ProductStatus.ACTIVE,
    } | overrides
    return CreateProductCommand(**values)


async def test_staff_create_an_active_product_that_is_listed_with_its_initial_stock_in_the_ledger(shop):
    product = await _create(shop)(new_product(shop))
    stored = shop.stored(product)
    assert stored == product
    assert (stored.sku, stored.name, stored.description) == ("ZAP-001", "Zapatos de cuero", "Hechos a mano")
    assert (stored.price, stored.stock, stored.images) == (Money(150_000, COP), 4, ("https://img.example.com/a.jpg",))
    assert (stored.created_at, stored.updated_at) == (shop.world.clock.now(), shop.world.clock.now())
    assert shop.is_listed(product)
    [line] = shop.world.database.stock_movements
    assert (line.product_id, line.delta, line.resulting_level, line.reason) == (product.id, 4, 4, "initial stock")
    assert (line.actor_id, line.created_at) == (shop.staff.user_id, shop.world.clock.now())
    assert shop.cache.listings_invalidated == 1


async def test_a_draft_without_stock_is_not_listed_and_has_no_ledger_line(shop):
    product = await _create(shop)(new_product(shop, shop.manager, stock=0, status=ProductStatus.DRAFT))
    assert shop.stored(product).status is ProductStatus.DRAFT
    assert not shop.is_listed(product)
    assert shop.world.database.stock_movements == []
    assert shop.cache.listings_invalidated == 0


async def test_a_product_of_a_store_not_yet_approved_is_not_listed():
    shop = open_shop(MerchantStatus.PENDING)
    product = await _create(shop)(new_product(shop))
    assert not shop.is_listed(product)
    assert shop.cache.listings_invalidated == 0


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"status": ProductStatus.ARCHIVED}, "status", "status"),
        ({"stock": -1}, "stock", "non_negative"),
        ({"price": PriceInput(0, "COP")}, "price.amount_minor", "price"),
        ({"price": PriceInput(100, "USD")}, "price.currency", "currency"),
        ({"category_id": CategoryId(new_id())}, "category_id", "unknown_category"),
        ({"sku": "no spaces allowed"}, "sku", "sku"),
        ({"name": " "}, "name", "name_length"),
        ({"images": ["javascript:alert(1)"]}, "images", "url"),
    ],
)
async def test_a_bad_product_names_its_field_and_writes_nothing(shop, overrides, field, rule):
    with pytest.raises(InvalidValue) as raised:
        await _create(shop)(new_product(shop, **overrides))
    assert (raised.value.field, raised.value.rule) == (field, rule)
    assert shop.world.database.products == {}
    assert shop.world.database.stock_movements == []


async def test_a_sku_is_unique_within_a_store_only(shop):
    await _create(shop)(new_product(shop))
    with pytest.raises(Conflict) as raised:
        await _create(shop)(new_product(shop, name="Otro"))
    assert raised.value.field == "sku"
    other = open_shop()
    other.world = shop.world
    shop.world.database.merchants[other.store.id] = other.store
    shop.world.database.memberships[other.manager.user_id] = Membership(
        other.store.id, other.manager.user_id, StoreRole.MANAGER, shop.world.clock.now()
    )
    await _create(shop)(new_product(shop, actor=other.manager, merchant_id=other.store.id))
    assert len(shop.world.database.products) == 2


@pytest.mark.parametrize("who", ["outsider", "support"])
async def test_only_the_stores_people_write_its_catalog(shop, who):
    with pytest.raises(NotFound):
        await _create(shop)(new_product(shop, actor=getattr(shop, who)))
    assert shop.world.database.products == {}


# --- revising and archiving -------------------------------------------------------------------------------------------


def _revise(shop: Shop) -> ReviseProduct:
    return ReviseProduct(unit_of_work=shop.uow, clock=shop.world.clock, currency=COP, cache=shop.cache)


def revision(shop: Shop, product: Product, **changes) -> ReviseProductCommand:
    return ReviseProductCommand(actor=shop.staff, merchant_id=shop.store.id, product_id=product.id, **changes)


async def test_a_revision_validates_and_changes_only_the_fields_given(shop):
    product = shop.add_product(description="antes")
    shoes = CategoryFactory.child(shop.category, "zapatos")
    shop.world.database.categories[shoes.id] = shoes
    shop.world.clock.advance(minutes=1)
    revised = await _revise(shop)(
        revision(
            shop,
            product,
            name="  Botas   altas ",
            price=PriceInput(99_900, "COP"),
            category_id=shoes.id,
            images=["https://img.example.com/b.jpg"],
        )
    )
    stored = shop.stored(product)
    assert stored == revised
    assert (stored.name, stored.price, stored.category_id) == ("Botas altas", Money(99_900, COP), shoes.id)
    assert (stored.images, stored.description, stored.sku) == (
        ("https://img.example.com/b.jpg",),
        "antes",
        product.sku,
    )
    assert stored.updated_at == shop.world.clock.now()
    assert shop.cache.changed_products == [product.id]
    assert shop.cache.listings_invalidated == 1


async def test_revising_a_draft_refreshes_its_page_but_not_the_listings(shop):
    draft = shop.add_product(status=ProductStatus.DRAFT)
    await _revise(shop)(revision(shop, draft, description="nueva"))
    assert shop.stored(draft).description == "nueva"
    assert shop.cache.changed_products == [draft.id]
    assert shop.cache.listings_invalidated == 0


async def test_publishing_a_draft_lists_it_and_unpublishing_unlists_it(shop):
    draft = shop.add_product(status=ProductStatus.DRAFT)
    await _revise(shop)(revision(shop, draft, status=ProductStatus.ACTIVE))
    assert shop.is_listed(draft)
    assert shop.cache.listings_invalidated == 1
    await _revise(shop)(revision(shop, draft, status=ProductStatus.DRAFT))
    assert not shop.is_listed(draft)
    assert shop.cache.listings_invalidated == 2


async def test_a_revision_to_an_unknown_category_or_a_bad_price_changes_nothing(shop):
    product = shop.add_product()
    with pytest.raises(InvalidValue) as category:
        await _revise(shop)(revision(shop, product, name="Nuevo", category_id=CategoryId(new_id())))
    assert (category.value.field, category.value.rule) == ("category_id", "unknown_category")
    with pytest.raises(InvalidValue) as money:
        await _revise(shop)(revision(shop, product, price=PriceInput(-5, "COP")))
    assert money.value.field == "price.amount_minor"
    assert shop.stored(product) == product
    assert shop.cache.changed_products == []


async def test_an_archived_product_cannot_be_revised_back_to_life(shop):
    product = shop.add_product(status=ProductStatus.ARCHIVED)
    with pytest.raises(Conflict) as raised:
        await _revise(shop)(revision(shop, product, status=ProductStatus.ACTIVE))
    assert raised.value.field == "status"
    assert shop.stored(product).status is ProductStatus.ARCHIVED


async def test_another_stores_product_is_not_found_for_revision_or_archive(shop):
    foreign = ProductFactory.build()
    shop.world.database.products[foreign.id] = foreign
    with pytest.raises(NotFound):
        await _revise(shop)(revision(shop, foreign, name="mío"))
    with pytest.raises(NotFound):
        await ArchiveProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)(
            ArchiveProductCommand(actor=shop.staff, merchant_id=shop.store.id, product_id=foreign.id)
        )
    assert shop.stored(foreign) == foreign


async def test_archiving_unlists_the_product_and_tells_the_cache(shop):
    product = shop.add_product()
    shop.world.clock.advance(minutes=1)
    archive = ArchiveProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)
    archived = await archive(
        ArchiveProductCommand(actor=shop.manager, merchant_id=shop.store.id, product_id=product.id)
    )
    assert shop.stored(product) == archived
    assert (archived.status, archived.updated_at) == (ProductStatus.ARCHIVED, shop.world.clock.now())
    assert not shop.is_listed(product)
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id], 1)
    draft = shop.add_product(status=ProductStatus.DRAFT)
    await archive(ArchiveProductCommand(actor=shop.manager, merchant_id=shop.store.id, product_id=draft.id))
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id, draft.id], 1)
    with pytest.raises(NotFound):
        await archive(ArchiveProductCommand(actor=shop.outsider, merchant_id=shop.store.id, product_id=draft.id))


# --- stock ------------------------------------------------------------------------------------------------------------


def _move(shop: Shop) -> MoveStock:
    return MoveStock(unit_of_work=shop.uow, clock=shop.world.clock, ids=shop.world.ids, cache=shop.cache)


def movement(shop: Shop, product: Product, delta: int, reason: str = "conteo") -> MoveStockCommand:
    return MoveStockCommand(
        actor=shop.staff, merchant_id=shop.store.id, product_id=product.id, delta=delta, reason=reason
    )


async def test_a_movement_changes_the_level_and_is_a_ledger_line(shop):
    product = shop.add_product(stock=5)
    line = await _move(shop)(movement(shop, product, 3, reason="  llegó   pedido "))
    assert shop.stored(product).stock == 8
    assert shop.world.database.stock_movements == [line]
    assert (line.delta, line.resulting_level, line.reason, line.actor_id) == (3, 8, "llegó pedido", shop.staff.user_id)
    assert line.created_at == shop.world.clock.now()
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([], 0)


async def test_stock_never_goes_below_zero(shop):
    product = shop.add_product(stock=2)
    with pytest.raises(OutOfStock) as raised:
        await _move(shop)(movement(shop, product, -3))
    assert (raised.value.field, raised.value.code) == ("delta", "out_of_stock")
    assert shop.stored(product).stock == 2
    assert shop.world.database.stock_movements == []


async def test_selling_out_and_coming_back_refresh_the_cached_pages(shop):
    product = shop.add_product(stock=2)
    empty = await _move(shop)(movement(shop, product, -2))
    assert empty.resulting_level == 0
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id], 1)
    await _move(shop)(movement(shop, product, 1))
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id, product.id], 2)


async def test_availability_of_an_unlisted_product_refreshes_only_its_own_page(shop):
    draft = shop.add_product(stock=0, status=ProductStatus.DRAFT)
    await _move(shop)(movement(shop, draft, 5))
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([draft.id], 0)


@pytest.mark.parametrize(("delta", "reason", "field"), [(0, "conteo", "delta"), (1, "x", "reason")])
async def test_a_movement_needs_a_delta_and_a_reason(shop, delta, reason, field):
    product = shop.add_product(stock=1)
    with pytest.raises(InvalidValue) as raised:
        await _move(shop)(movement(shop, product, delta, reason))
    assert (raised.value.field, raised.value.rule) == (field, field)
    assert shop.stored(product).stock == 1


async def test_only_the_stores_people_move_its_stock(shop):
    product = shop.add_product(stock=1)
    with pytest.raises(NotFound):
        await _move(shop)(
            MoveStockCommand(
                actor=shop.support, merchant_id=shop.store.id, product_id=product.id, delta=1, reason="conteo"
            )
        )
    foreign = ProductFactory.build()
    shop.world.database.products[foreign.id] = foreign
    with pytest.raises(NotFound):
        await _move(shop)(movement(shop, foreign, 1))
    assert shop.stored(product).stock == 1


# --- moderation -------------------------------------------------------------------------------------------------------


def _suspend(shop: Shop) -> SuspendProduct:
    return SuspendProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)


def _reinstate(shop: Shop) -> ReinstateProduct:
    return ReinstateProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)


async def test_support_suspends_a_product_out_of_sight_and_reinstates_it(shop):
    product = shop.add_product()
    shop.world.clock.advance(minutes=1)
    suspended = await _suspend(shop)(
        SuspendProductCommand(actor=shop.support, product_id=product.id, reason=" imagen engañosa ")
    )
    assert shop.stored(product) == suspended
    assert (suspended.suspension_reason, suspended.updated_at) == ("imagen engañosa", shop.world.clock.now())
    assert not shop.is_listed(product)
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id], 1)
    await _reinstate(shop)(ReinstateProductCommand(actor=shop.support, product_id=product.id))
    assert shop.stored(product).suspension_reason is None
    assert shop.is_listed(product)
    assert (shop.cache.changed_products, shop.cache.listings_invalidated) == ([product.id, product.id], 2)


async def test_reinstating_a_product_of_a_closed_store_keeps_it_hidden():
    shop = open_shop(MerchantStatus.SUSPENDED)
    product = shop.add_product(suspension_reason="imagen engañosa")
    await _reinstate(shop)(ReinstateProductCommand(actor=shop.support, product_id=product.id))
    assert shop.stored(product).suspension_reason is None
    assert not shop.is_listed(product)
    orphan = ProductFactory.build(suspension_reason="sin tienda")
    shop.world.database.products[orphan.id] = orphan
    await _reinstate(shop)(ReinstateProductCommand(actor=shop.support, product_id=orphan.id))
    assert not shop.is_listed(orphan)


async def test_moderation_is_for_platform_staff_on_existing_products(shop):
    product = shop.add_product()
    with pytest.raises(NotAllowed):
        await _suspend(shop)(SuspendProductCommand(actor=shop.manager, product_id=product.id, reason="no me gusta"))
    with pytest.raises(NotFound):
        await _suspend(shop)(SuspendProductCommand(actor=shop.support, product_id=ProductId(new_id()), reason="abc"))
    with pytest.raises(InvalidValue) as raised:
        await _suspend(shop)(SuspendProductCommand(actor=shop.support, product_id=product.id, reason="no"))
    assert raised.value.rule == "reason_length"
    with pytest.raises(Conflict):
        await _reinstate(shop)(ReinstateProductCommand(actor=shop.support, product_id=product.id))
    with pytest.raises(NotAllowed):
        await _reinstate(shop)(ReinstateProductCommand(actor=shop.staff, product_id=product.id))
    assert shop.stored(product) == product
    assert shop.cache.changed_products == []


# --- the store's own listing ------------------------------------------------------------------------------------------


async def test_the_store_lists_its_products_newest_first_by_status_or_words_a_clamped_page_at_a_time(shop):
    products = [shop.add_product(name=f"Zapato {n}") for n in range(102)]
    draft = shop.add_product(name="Bota borrador", status=ProductStatus.DRAFT)
    shop.world.database.products[ProductFactory.build().id] = ProductFactory.build()  # another store's
    list_products = ListMerchantProducts(unit_of_work=shop.uow)
    page, after = page_of(
        await list_products(MerchantProductsQuery(actor=shop.staff, merchant_id=shop.store.id, limit=1000))
    )
    assert len(page) == 100
    assert page[0].id == draft.id
    assert after == page[-1].id
    rest, end = page_of(
        await list_products(MerchantProductsQuery(actor=shop.staff, merchant_id=shop.store.id, after=after))
    )
    assert {p.id for p in page + rest} == {p.id for p in [*products, draft]}
    assert end is None
    one, _ = page_of(await list_products(MerchantProductsQuery(actor=shop.support, merchant_id=shop.store.id, limit=0)))
    assert len(one) == 1
    drafts, _ = page_of(
        await list_products(
            MerchantProductsQuery(actor=shop.manager, merchant_id=shop.store.id, status=ProductStatus.DRAFT)
        )
    )
    assert [p.id for p in drafts] == [draft.id]
    found, _ = page_of(
        await list_products(MerchantProductsQuery(actor=shop.manager, merchant_id=shop.store.id, text="borrador"))
    )
    assert [p.id for p in found] == [draft.id]
    with pytest.raises(NotFound):
        await list_products(MerchantProductsQuery(actor=shop.outsider, merchant_id=shop.store.id))


async def test_the_store_reads_any_of_its_products_but_not_another_stores(shop):
    draft = shop.add_product(status=ProductStatus.DRAFT)
    get = GetMerchantProduct(unit_of_work=shop.uow)
    assert await get(GetMerchantProductQuery(actor=shop.staff, merchant_id=shop.store.id, product_id=draft.id)) == draft
    assert await get(GetMerchantProductQuery(actor=shop.support, merchant_id=shop.store.id, product_id=draft.id))
    foreign = ProductFactory.build()
    shop.world.database.products[foreign.id] = foreign
    with pytest.raises(NotFound) as raised:
        await get(GetMerchantProductQuery(actor=shop.staff, merchant_id=shop.store.id, product_id=foreign.id))
    assert raised.value.message == "no such product"
    with pytest.raises(NotFound):
        await get(GetMerchantProductQuery(actor=shop.outsider, merchant_id=shop.store.id, product_id=draft.id))


async def test_platform_staff_read_a_stores_catalog_but_never_write_it(shop):
    product = shop.add_product()
    with pytest.raises(NotFound):
        await _revise(shop)(
            ReviseProductCommand(actor=shop.support, merchant_id=shop.store.id, product_id=product.id, name="x")
        )
    with pytest.raises(NotFound):
        await ArchiveProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)(
            ArchiveProductCommand(actor=shop.support, merchant_id=shop.store.id, product_id=product.id)
        )
    assert shop.stored(product) == product
    assert shop.cache.changed_products == []
