"""Category, store and staff use cases on fakes, and browsing the public catalog with a fake reader."""

from typing import Any

import pytest

from application.catalog.apply_for_merchant import ApplyForMerchant, ApplyForMerchantCommand
from application.catalog.approve_merchant import ApproveMerchant, ApproveMerchantCommand
from application.catalog.browse import BrowseProducts, GetPublicProduct
from application.catalog.create_category import CreateCategory, CreateCategoryCommand
from application.catalog.delete_category import DeleteCategory, DeleteCategoryCommand
from application.catalog.get_merchant_profile import GetMerchantProfile
from application.catalog.list_categories import ListCategories
from application.catalog.list_merchants import ListMerchants, ListMerchantsQuery
from application.catalog.reinstate_merchant import ReinstateMerchant, ReinstateMerchantCommand
from application.catalog.revise_category import ReviseCategory, ReviseCategoryCommand
from application.catalog.staff import (
    AddMerchantStaff,
    AddStaffCommand,
    ListMerchantStaff,
    RemoveMerchantStaff,
    RemoveStaffCommand,
)
from application.catalog.suspend_merchant import SuspendMerchant, SuspendMerchantCommand
from application.ports import ProductQuery, ProductSort, PublicProduct
from domain.catalog.categories import Category, CategoryId
from domain.catalog.merchants import Membership, MerchantId, MerchantStatus, StoreRole
from domain.catalog.products import ProductId, ProductStatus
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role
from domain.money import Money
from tests.unit.factories import (
    COP,
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductSummaryFactory,
    UserFactory,
    new_id,
)
from tests.unit.fakes import IdentityWorld, RecordingCatalogCache
from tests.unit.pages import page_of
from tests.unit.test_catalog_products import Shop, open_shop


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


@pytest.fixture
def cache() -> RecordingCatalogCache:
    return RecordingCatalogCache()


def person(world: IdentityWorld, role: Role = Role.CUSTOMER, **fields) -> Actor:
    user = UserFactory.build(role=role, **fields)
    world.database.users[user.id] = user
    return Actor(user.id, role)


# --- categories -------------------------------------------------------------------------------------------------------


def tree(world: IdentityWorld, *paths: str) -> dict[str, Category]:
    """Categories by path, parents first: ``tree(world, "ropa", "ropa/zapatos")``."""
    made: dict[str, Category] = {}
    for path in paths:
        parent_path, _, slug = path.rpartition("/")
        category = CategoryFactory.child(made[parent_path], slug) if parent_path else CategoryFactory.root(slug)
        world.database.categories[category.id] = category
        made[path] = category
    return made


def paths(world: IdentityWorld) -> set[str]:
    return {category.path for category in world.database.categories.values()}


async def test_admins_create_categories_with_a_slug_from_the_name_under_an_existing_parent(world):
    admin = person(world, Role.ADMIN)
    create = CreateCategory(unit_of_work=world.unit_of_work, ids=world.ids)
    ropa = await create(CreateCategoryCommand(actor=admin, name="  Ropa de Niño "))
    assert (ropa.name, ropa.slug, ropa.path, ropa.parent_id) == ("Ropa de Niño", "ropa-de-nino", "ropa-de-nino", None)
    shoes = await create(CreateCategoryCommand(actor=admin, name="Zapatos", slug="Calzado", parent_id=ropa.id))
    assert (shoes.slug, shoes.path, shoes.parent_id) == ("calzado", "ropa-de-nino/calzado", ropa.id)
    assert world.database.categories[shoes.id] == shoes


async def test_a_category_needs_an_existing_parent_a_free_slug_and_room_in_the_tree(world):
    admin = person(world, Role.ADMIN)
    create = CreateCategory(unit_of_work=world.unit_of_work, ids=world.ids)
    made = tree(world, "a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e", "a/b/c/d/e/f")
    with pytest.raises(InvalidValue) as unknown:
        await create(CreateCategoryCommand(actor=admin, name="x", parent_id=CategoryId(new_id())))
    assert (unknown.value.field, unknown.value.rule) == ("parent_id", "unknown_category")
    with pytest.raises(InvalidValue) as deep:
        await create(CreateCategoryCommand(actor=admin, name="g", parent_id=made["a/b/c/d/e/f"].id))
    assert (deep.value.field, deep.value.rule) == ("parent_id", "too_deep")
    with pytest.raises(Conflict) as taken:
        await create(CreateCategoryCommand(actor=admin, name="B"))
    assert taken.value.field == "slug"
    assert len(world.database.categories) == 6


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.MERCHANT_MANAGER, Role.CUSTOMER])
async def test_only_admins_shape_the_category_tree(world, role):
    actor = person(world, role)
    made = tree(world, "ropa")
    with pytest.raises(NotAllowed) as raised:
        await CreateCategory(unit_of_work=world.unit_of_work, ids=world.ids)(CreateCategoryCommand(actor, "x"))
    assert "only admins" in raised.value.message
    with pytest.raises(NotAllowed):
        await ReviseCategory(unit_of_work=world.unit_of_work, cache=RecordingCatalogCache())(
            ReviseCategoryCommand(actor=actor, category_id=made["ropa"].id, name="y")
        )
    with pytest.raises(NotAllowed):
        await DeleteCategory(unit_of_work=world.unit_of_work)(DeleteCategoryCommand(actor, made["ropa"].id))
    assert paths(world) == {"ropa"}


def _revise(world: IdentityWorld, cache: RecordingCatalogCache) -> ReviseCategory:
    return ReviseCategory(unit_of_work=world.unit_of_work, cache=cache)


async def test_renaming_keeps_the_place_and_a_new_slug_re_roots_the_descendants(world, cache):
    admin = person(world, Role.ADMIN)
    made = tree(world, "ropa", "ropa/zapatos", "ropa/zapatos/botas")
    renamed = await _revise(world, cache)(
        ReviseCategoryCommand(actor=admin, category_id=made["ropa"].id, name="Vestir")
    )
    assert (renamed.name, renamed.path) == ("Vestir", "ropa")
    await _revise(world, cache)(ReviseCategoryCommand(actor=admin, category_id=made["ropa/zapatos"].id, slug="Calzado"))
    assert paths(world) == {"ropa", "ropa/calzado", "ropa/calzado/botas"}
    assert world.database.categories[made["ropa/zapatos"].id].parent_id == made["ropa"].id


async def test_moving_a_category_takes_its_products_pages_out_of_the_cache(world, cache):
    admin = person(world, Role.ADMIN)
    made = tree(world, "ropa", "ropa/zapatos", "ropa/zapatos/botas", "hogar")
    boot = ProductFactory.build(category_id=made["ropa/zapatos/botas"].id)
    world.database.products[boot.id] = boot
    await _revise(world, cache)(
        ReviseCategoryCommand(actor=admin, category_id=made["ropa/zapatos"].id, parent_id=made["hogar"].id)
    )
    assert paths(world) == {"ropa", "hogar", "hogar/zapatos", "hogar/zapatos/botas"}
    assert (cache.changed_products, cache.listings_invalidated) == ([boot.id], 1)
    await _revise(world, cache)(
        ReviseCategoryCommand(actor=admin, category_id=made["ropa/zapatos"].id, move_to_root=True)
    )
    assert paths(world) == {"ropa", "hogar", "zapatos", "zapatos/botas"}
    assert world.database.categories[made["ropa/zapatos"].id].parent_id is None
    await _revise(world, cache)(ReviseCategoryCommand(actor=admin, category_id=made["hogar"].id, name="Casa"))
    assert (cache.changed_products, cache.listings_invalidated) == ([boot.id, boot.id], 2)


@pytest.mark.parametrize("target", ["ropa", "ropa/zapatos"])
async def test_a_category_cannot_move_under_itself_or_its_descendants(world, cache, target):
    admin = person(world, Role.ADMIN)
    made = tree(world, "ropa", "ropa/zapatos")
    with pytest.raises(InvalidValue) as raised:
        await _revise(world, cache)(
            ReviseCategoryCommand(actor=admin, category_id=made["ropa"].id, parent_id=made[target].id)
        )
    assert (raised.value.field, raised.value.rule) == ("parent_id", "cycle")
    assert paths(world) == {"ropa", "ropa/zapatos"}


async def test_a_move_to_depth_6_is_allowed_and_deeper_is_refused(world, cache):
    admin = person(world, Role.ADMIN)
    made = tree(world, "a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e", "a/b/c/d/e/f", "x", "x/y")
    with pytest.raises(InvalidValue) as raised:
        await _revise(world, cache)(
            ReviseCategoryCommand(actor=admin, category_id=made["x/y"].id, parent_id=made["a/b/c/d/e/f"].id)
        )
    assert (raised.value.field, raised.value.rule) == ("parent_id", "too_deep")
    await _revise(world, cache)(
        ReviseCategoryCommand(actor=admin, category_id=made["x"].id, parent_id=made["a/b/c/d"].id)
    )
    assert "a/b/c/d/x/y" in paths(world)


async def test_a_move_that_would_push_a_descendant_below_depth_6_is_refused(world, cache):
    admin = person(world, Role.ADMIN)
    made = tree(world, "a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e", "x", "x/y")
    with pytest.raises(InvalidValue) as raised:
        await _revise(world, cache)(
            ReviseCategoryCommand(actor=admin, category_id=made["x"].id, parent_id=made["a/b/c/d/e"].id)
        )
    assert raised.value.rule == "too_deep"
    assert {"x", "x/y"} <= paths(world)


async def test_revising_an_unknown_category_or_to_an_unknown_parent_is_refused(world, cache):
    admin = person(world, Role.ADMIN)
    made = tree(world, "ropa")
    with pytest.raises(NotFound):
        await _revise(world, cache)(ReviseCategoryCommand(actor=admin, category_id=CategoryId(new_id()), name="x"))
    with pytest.raises(InvalidValue) as raised:
        await _revise(world, cache)(
            ReviseCategoryCommand(actor=admin, category_id=made["ropa"].id, parent_id=CategoryId(new_id()))
        )
    assert raised.value.rule == "unknown_category"


async def test_only_an_empty_leaf_category_can_be_deleted(world):
    admin = person(world, Role.ADMIN)
    made = tree(world, "ropa", "ropa/zapatos", "hogar")
    delete = DeleteCategory(unit_of_work=world.unit_of_work)
    with pytest.raises(Conflict) as children:
        await delete(DeleteCategoryCommand(actor=admin, category_id=made["ropa"].id))
    assert "subcategories" in children.value.message
    product = ProductFactory.build(category_id=made["hogar"].id)
    world.database.products[product.id] = product
    with pytest.raises(Conflict) as products:
        await delete(DeleteCategoryCommand(actor=admin, category_id=made["hogar"].id))
    assert "products" in products.value.message
    assert products.value.field == "category"
    await delete(DeleteCategoryCommand(actor=admin, category_id=made["ropa/zapatos"].id))
    assert paths(world) == {"ropa", "hogar"}
    with pytest.raises(NotFound):
        await delete(DeleteCategoryCommand(actor=admin, category_id=made["ropa/zapatos"].id))


async def test_everybody_reads_the_tree_parents_first(world):
    tree(world, "ropa", "hogar", "ropa/zapatos", "hogar/cocina")
    listed = await ListCategories(unit_of_work=world.unit_of_work)()
    assert [category.path for category in listed] == ["hogar", "hogar/cocina", "ropa", "ropa/zapatos"]


# --- applying for a store and the staff's decisions -------------------------------------------------------------------


def application(actor: Actor, **overrides) -> ApplyForMerchantCommand:
    values: dict[str, Any] = {
        "actor": actor,
        "name": " Calzado  Andino ",
        "legal_id": "900.123.456-1",
        "description": " Zapatos ",
        "contact_email": " Ventas@Calzado.CO ",
    } | overrides
    return ApplyForMerchantCommand(**values)


async def test_an_application_is_stored_pending_with_its_details_normalised(world):
    customer = person(world)
    store = await ApplyForMerchant(unit_of_work=world.unit_of_work, clock=world.clock, ids=world.ids)(
        application(customer)
    )
    stored = world.database.merchants[store.id]
    assert stored == store
    assert (stored.name, stored.legal_id, stored.description, stored.contact_email) == (
        "Calzado Andino",
        "900123456-1",
        "Zapatos",
        "ventas@calzado.co",
    )
    assert (stored.status, stored.applicant_id, stored.created_at) == (
        MerchantStatus.PENDING,
        customer.user_id,
        world.clock.now(),
    )


async def test_people_who_work_for_a_store_cannot_apply_and_a_legal_id_registers_once(world):
    apply = ApplyForMerchant(unit_of_work=world.unit_of_work, clock=world.clock, ids=world.ids)
    worker = person(world)
    world.database.memberships[worker.user_id] = Membership(
        MerchantId(new_id()), worker.user_id, StoreRole.STAFF, world.clock.now()
    )
    with pytest.raises(Conflict) as works:
        await apply(application(worker))
    assert works.value.field == "applicant"
    await apply(application(person(world)))
    with pytest.raises(Conflict) as registered:
        await apply(application(person(world)))
    assert registered.value.field == "legal_id"
    with pytest.raises(InvalidValue) as bad:
        await apply(application(person(world), contact_email="nope"))
    assert bad.value.field == "email"
    assert len(world.database.merchants) == 1


def pending_store(world: IdentityWorld, status: MerchantStatus = MerchantStatus.PENDING):
    applicant = UserFactory.build()
    world.database.users[applicant.id] = applicant
    store = MerchantFactory.build(status=status, applicant_id=applicant.id)
    world.database.merchants[store.id] = store
    products = [ProductFactory.build(merchant_id=store.id) for _ in range(2)]
    products.append(ProductFactory.build(merchant_id=store.id, status=ProductStatus.DRAFT))
    for product in products:
        world.database.products[product.id] = product
        if product.is_listed(store.is_open):
            world.database.listed.add(product.id)
    return store, applicant, products


async def test_approval_opens_the_store_makes_the_applicant_its_manager_and_tells_them(world, cache):
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    store, applicant, (first, second, _) = pending_store(world)
    await world.credentials.by_user_id(applicant.id)
    approve = ApproveMerchant(
        unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials, cache=cache
    )
    world.clock.advance(minutes=1)
    approved = await approve(ApproveMerchantCommand(actor=support, merchant_id=store.id))
    assert world.database.merchants[store.id] == approved
    assert (approved.status, approved.updated_at) == (MerchantStatus.APPROVED, world.clock.now())
    manager = world.database.users[applicant.id]
    assert (manager.role, manager.credentials_version) == (Role.MERCHANT_MANAGER, applicant.credentials_version + 1)
    assert world.database.memberships[applicant.id] == Membership(
        store.id, applicant.id, StoreRole.MANAGER, world.clock.now()
    )
    assert world.database.listed == {first.id, second.id}
    assert (sorted(cache.changed_products), cache.listings_invalidated) == (sorted([first.id, second.id]), 1)
    [notice] = world.database.outbox
    assert (notice.recipient, notice.kind) == (applicant.email.value, "merchant_approved")
    assert dict(notice.payload) == {"merchant_id": str(store.id), "store": store.name, "status": "approved"}
    assert applicant.id not in world.cache.records


async def test_approval_is_refused_when_the_applicant_joined_another_store_or_the_store_is_not_pending(world, cache):
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    store, applicant, _ = pending_store(world)
    world.database.memberships[applicant.id] = Membership(
        MerchantId(new_id()), applicant.id, StoreRole.STAFF, world.clock.now()
    )
    approve = ApproveMerchant(
        unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials, cache=cache
    )
    with pytest.raises(Conflict) as raised:
        await approve(ApproveMerchantCommand(actor=support, merchant_id=store.id))
    assert raised.value.field == "applicant"
    assert world.database.merchants[store.id].status is MerchantStatus.PENDING
    assert world.database.users[applicant.id].role is Role.CUSTOMER
    open_store, _, _ = pending_store(world, MerchantStatus.APPROVED)
    with pytest.raises(Conflict):
        await approve(ApproveMerchantCommand(actor=support, merchant_id=open_store.id))
    assert world.database.outbox == []
    assert cache.changed_products == []


async def test_decisions_are_for_platform_staff_on_stores_whose_applicant_exists(world, cache):
    store, applicant, _ = pending_store(world)
    approve = ApproveMerchant(
        unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials, cache=cache
    )
    with pytest.raises(NotAllowed):
        await approve(ApproveMerchantCommand(actor=person(world, Role.MERCHANT_MANAGER), merchant_id=store.id))
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    with pytest.raises(NotFound) as missing:
        await approve(ApproveMerchantCommand(actor=support, merchant_id=MerchantId(new_id())))
    assert missing.value.message == "no such store"
    del world.database.users[applicant.id]
    with pytest.raises(NotFound) as gone:
        await approve(ApproveMerchantCommand(actor=support, merchant_id=store.id))
    assert "applicant" in gone.value.message
    with pytest.raises(NotAllowed):
        await SuspendMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)(
            SuspendMerchantCommand(actor=person(world), merchant_id=store.id, reason="documentos")
        )


async def test_suspension_hides_the_stores_products_and_tells_the_applicant_why(world, cache):
    admin = person(world, Role.ADMIN)
    store, applicant, (first, second, _) = pending_store(world, MerchantStatus.APPROVED)
    world.clock.advance(minutes=1)
    suspended = await SuspendMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)(
        SuspendMerchantCommand(actor=admin, merchant_id=store.id, reason=" documentos vencidos ")
    )
    assert world.database.merchants[store.id] == suspended
    assert (suspended.status, suspended.suspension_reason) == (MerchantStatus.SUSPENDED, "documentos vencidos")
    assert suspended.updated_at == world.clock.now()
    assert world.database.listed == set()
    assert (sorted(cache.changed_products), cache.listings_invalidated) == (sorted([first.id, second.id]), 1)
    [notice] = world.database.outbox
    assert (notice.recipient, notice.kind) == (applicant.email.value, "merchant_suspended")
    assert dict(notice.payload) == {
        "merchant_id": str(store.id),
        "store": store.name,
        "status": "suspended",
        "reason": "documentos vencidos",
    }


async def test_a_suspension_needs_a_reason_and_an_approved_store(world, cache):
    admin = person(world, Role.ADMIN)
    suspend = SuspendMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)
    store, _, _ = pending_store(world, MerchantStatus.APPROVED)
    with pytest.raises(InvalidValue) as raised:
        await suspend(SuspendMerchantCommand(actor=admin, merchant_id=store.id, reason="no"))
    assert raised.value.rule == "reason_length"
    pending, _, _ = pending_store(world)
    with pytest.raises(Conflict):
        await suspend(SuspendMerchantCommand(actor=admin, merchant_id=pending.id, reason="documentos"))
    assert world.database.outbox == []


async def test_reinstatement_shows_the_listable_products_again(world, cache):
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    store, _, (first, second, _) = pending_store(world, MerchantStatus.SUSPENDED)
    world.database.merchants[store.id].suspension_reason = "documentos"
    reinstate = ReinstateMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)
    reinstated = await reinstate(ReinstateMerchantCommand(actor=support, merchant_id=store.id))
    assert (reinstated.status, reinstated.suspension_reason) == (MerchantStatus.APPROVED, None)
    assert world.database.listed == {first.id, second.id}
    assert (sorted(cache.changed_products), cache.listings_invalidated) == (sorted([first.id, second.id]), 1)
    [notice] = world.database.outbox
    assert (notice.kind, notice.payload["status"]) == ("merchant_reinstated", "approved")
    assert "reason" not in notice.payload
    with pytest.raises(Conflict):
        await reinstate(ReinstateMerchantCommand(actor=support, merchant_id=store.id))
    with pytest.raises(NotAllowed):
        await reinstate(ReinstateMerchantCommand(actor=person(world), merchant_id=store.id))


async def test_a_decision_on_a_store_without_products_leaves_the_cache_alone(world, cache):
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    applicant = UserFactory.build()
    world.database.users[applicant.id] = applicant
    store = MerchantFactory.build(status=MerchantStatus.PENDING, applicant_id=applicant.id)
    world.database.merchants[store.id] = store
    await ApproveMerchant(
        unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials, cache=cache
    )(ApproveMerchantCommand(actor=support, merchant_id=store.id))
    assert (cache.changed_products, cache.listings_invalidated) == ([], 0)


async def test_staff_list_stores_by_status_a_clamped_page_at_a_time(world):
    support = person(world, Role.SUPPORT)
    for _ in range(101):
        pending_store(world)
    approved, _, _ = pending_store(world, MerchantStatus.APPROVED)
    list_stores = ListMerchants(unit_of_work=world.unit_of_work)
    page, after = page_of(await list_stores(ListMerchantsQuery(actor=support, limit=500)))
    assert len(page) == 100
    assert after == page[-1].id
    rest, end = page_of(await list_stores(ListMerchantsQuery(actor=support, after=after, limit=100)))
    assert (len(rest), end) == (2, None)
    only, _ = page_of(await list_stores(ListMerchantsQuery(actor=support, status=MerchantStatus.APPROVED, limit=0)))
    assert [store.id for store in only] == [approved.id]
    with pytest.raises(NotAllowed):
        await list_stores(ListMerchantsQuery(actor=person(world, Role.MERCHANT_MANAGER)))


async def test_only_an_approved_store_has_a_public_profile(world):
    approved, _, _ = pending_store(world, MerchantStatus.APPROVED)
    pending, _, _ = pending_store(world)
    profile = GetMerchantProfile(unit_of_work=world.unit_of_work)
    assert (await profile(approved.id)).id == approved.id
    for hidden in (pending.id, MerchantId(new_id())):
        with pytest.raises(NotFound):
            await profile(hidden)


# --- the store's people -----------------------------------------------------------------------------------------------


@pytest.fixture
def shop() -> Shop:
    return open_shop()


def _add(shop: Shop) -> AddMerchantStaff:
    return AddMerchantStaff(unit_of_work=shop.uow, clock=shop.world.clock, credentials=shop.world.credentials)


def _remove(shop: Shop) -> RemoveMerchantStaff:
    return RemoveMerchantStaff(unit_of_work=shop.uow, clock=shop.world.clock, credentials=shop.world.credentials)


async def test_the_manager_adds_an_active_customer_who_becomes_staff(shop):
    newcomer = UserFactory.build()
    shop.world.database.users[newcomer.id] = newcomer
    await shop.world.credentials.by_user_id(newcomer.id)
    member = await _add(shop)(
        AddStaffCommand(actor=shop.manager, merchant_id=shop.store.id, email=f" {newcomer.email.value.upper()} ")
    )
    assert member.membership == Membership(shop.store.id, newcomer.id, StoreRole.STAFF, shop.world.clock.now())
    assert shop.world.database.memberships[newcomer.id] == member.membership
    stored = shop.world.database.users[newcomer.id]
    assert (stored.role, stored.credentials_version) == (Role.MERCHANT_STAFF, 2)
    assert member.user == stored
    assert newcomer.id not in shop.world.cache.records


async def test_staff_can_only_be_active_customers_who_work_nowhere(shop):
    inactive = UserFactory.build(is_active=False)
    support = UserFactory.build(role=Role.SUPPORT)
    for user in (inactive, support):
        shop.world.database.users[user.id] = user
    add = _add(shop)
    for email in ("nobody@example.com", inactive.email.value):
        with pytest.raises(NotFound) as missing:
            await add(AddStaffCommand(actor=shop.manager, merchant_id=shop.store.id, email=email))
        assert missing.value.field == "email"
    with pytest.raises(Conflict) as not_customer:
        await add(AddStaffCommand(actor=shop.manager, merchant_id=shop.store.id, email=support.email.value))
    assert not_customer.value.field == "email"
    staff_email = shop.world.database.users[shop.staff.user_id].email.value
    with pytest.raises(Conflict) as works:
        await add(AddStaffCommand(actor=shop.manager, merchant_id=shop.store.id, email=staff_email))
    assert "already works" in works.value.message
    with pytest.raises(NotAllowed):
        await add(AddStaffCommand(actor=shop.staff, merchant_id=shop.store.id, email=support.email.value))
    assert len(shop.world.database.memberships) == 2


async def test_the_stores_people_are_listed_for_its_members_and_platform_staff(shop):
    people = ListMerchantStaff(unit_of_work=shop.uow)
    members = await people(shop.staff, shop.store.id)
    assert {(m.user.id, m.membership.role) for m in members} == {
        (shop.manager.user_id, StoreRole.MANAGER),
        (shop.staff.user_id, StoreRole.STAFF),
    }
    assert (await people.one(shop.support, shop.store.id, shop.staff.user_id)).user.id == shop.staff.user_id
    with pytest.raises(NotFound) as raised:
        await people.one(shop.manager, shop.store.id, shop.outsider.user_id)
    assert raised.value.message == "no such staff member"
    with pytest.raises(NotFound):
        await people(shop.outsider, shop.store.id)


async def test_removing_staff_makes_them_a_customer_again_but_the_manager_stays(shop):
    await shop.world.credentials.by_user_id(shop.staff.user_id)
    await _remove(shop)(RemoveStaffCommand(actor=shop.manager, merchant_id=shop.store.id, user_id=shop.staff.user_id))
    assert shop.staff.user_id not in shop.world.database.memberships
    assert shop.world.database.users[shop.staff.user_id].role is Role.CUSTOMER
    assert shop.staff.user_id not in shop.world.cache.records
    with pytest.raises(NotFound):
        await _remove(shop)(
            RemoveStaffCommand(actor=shop.manager, merchant_id=shop.store.id, user_id=shop.staff.user_id)
        )
    with pytest.raises(NotAllowed) as raised:
        await _remove(shop)(
            RemoveStaffCommand(actor=shop.manager, merchant_id=shop.store.id, user_id=shop.manager.user_id)
        )
    assert "manager" in raised.value.message
    assert shop.world.database.memberships[shop.manager.user_id].role is StoreRole.MANAGER


async def test_a_manager_cannot_remove_another_stores_people(shop):
    elsewhere = UserFactory.build(role=Role.MERCHANT_STAFF)
    shop.world.database.users[elsewhere.id] = elsewhere
    shop.world.database.memberships[elsewhere.id] = Membership(
        MerchantId(new_id()), elsewhere.id, StoreRole.STAFF, shop.world.clock.now()
    )
    with pytest.raises(NotFound):
        await _remove(shop)(RemoveStaffCommand(actor=shop.manager, merchant_id=shop.store.id, user_id=elsewhere.id))
    assert shop.world.database.users[elsewhere.id].role is Role.MERCHANT_STAFF
    with pytest.raises(NotAllowed):
        await _remove(shop)(RemoveStaffCommand(actor=shop.staff, merchant_id=shop.store.id, user_id=shop.staff.user_id))


# --- browsing the public catalog --------------------------------------------------------------------------------------


def _browse(world: IdentityWorld) -> BrowseProducts:
    return BrowseProducts(unit_of_work=world.unit_of_work)


async def test_browsing_refuses_an_inverted_price_range_and_long_searches(world):
    with pytest.raises(InvalidValue) as prices:
        await _browse(world)(ProductQuery(min_price=101, max_price=100))
    assert (prices.value.field, prices.value.rule) == ("min_price", "price_range")
    with pytest.raises(InvalidValue) as words:
        await _browse(world)(ProductQuery(text="a b c d e f g h i"))
    assert (words.value.field, words.value.rule) == ("q", "too_many_words")
    assert "8 words" in words.value.message


async def test_an_equal_price_range_and_eight_words_are_fine(world):
    cheap = ProductSummaryFactory.build(price=Money(100, COP), name="a b c d e f g h")
    world.database.summaries.append(cheap)
    page, _ = page_of(await _browse(world)(ProductQuery(min_price=100, max_price=100, text="a b c d e f g h")))
    assert [item.id for item in page] == [cheap.id]


async def test_browsing_walks_every_listed_product_once_a_clamped_page_at_a_time(world):
    world.database.summaries.extend(ProductSummaryFactory.batch(150))
    browse = _browse(world)
    first, after = page_of(await browse(ProductQuery(), limit=1000))
    assert len(first) == 100
    assert after == first[-1].position
    second, end = page_of(await browse(ProductQuery(), after=after, limit=100))
    assert (len(second), end) == (50, None)
    assert {s.id for s in first + second} == {s.id for s in world.database.summaries}
    one, more = page_of(await browse(ProductQuery(), limit=0))
    assert (len(one), more) == (1, one[0].position)
    default, _ = page_of(await browse(ProductQuery()))
    assert len(default) == 20


async def test_a_public_product_is_found_only_when_the_reader_has_it(world):
    summary = ProductSummaryFactory.build()
    shown = PublicProduct(
        id=summary.id,
        name=summary.name,
        description="",
        price=summary.price,
        in_stock=True,
        images=(),
        merchant_id=summary.merchant_id,
        merchant_name=summary.merchant_name,
        category_id=CategoryId(new_id()),
        category_path=(),
        created_at=summary.created_at,
        updated_at=summary.created_at,
    )
    world.database.public_products.append(shown)
    get = GetPublicProduct(unit_of_work=world.unit_of_work)
    assert await get(summary.id) == shown
    with pytest.raises(NotFound):
        await get(ProductId(new_id()))


def test_relevance_without_words_sorts_newest_first():
    assert ProductQuery().effective_sort is ProductSort.NEWEST
    assert ProductQuery(text="zapatos").effective_sort is ProductSort.RELEVANCE
    assert ProductQuery(sort=ProductSort.PRICE_ASC).effective_sort is ProductSort.PRICE_ASC


async def test_platform_staff_cannot_hire_or_remove_a_stores_people(shop):
    newcomer = UserFactory.build()
    shop.world.database.users[newcomer.id] = newcomer
    with pytest.raises(NotFound):
        await _add(shop)(AddStaffCommand(actor=shop.support, merchant_id=shop.store.id, email=newcomer.email.value))
    with pytest.raises(NotFound):
        await _remove(shop)(
            RemoveStaffCommand(actor=shop.support, merchant_id=shop.store.id, user_id=shop.staff.user_id)
        )
    assert set(shop.world.database.memberships) == {shop.manager.user_id, shop.staff.user_id}
