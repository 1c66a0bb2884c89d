"""Catalog rules on fakes: who may touch a store, and who may apply for one."""

import pytest

from application.catalog.access import merchant_access
from application.catalog.apply_for_merchant import ApplyForMerchant, ApplyForMerchantCommand
from domain.catalog.merchants import Membership, MerchantStatus, StoreRole
from domain.errors import Conflict, NotAllowed, NotFound
from domain.identity.roles import Actor, Role
from tests.unit.fakes import IdentityWorld


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


def application(actor: Actor, legal_id: str = "900123456-1") -> ApplyForMerchantCommand:
    return ApplyForMerchantCommand(
        actor=actor, name="Calzado Andino", legal_id=legal_id, description="", contact_email="t@example.com"
    )


async def _store_with_people(world):
    apply = ApplyForMerchant(unit_of_work=world.unit_of_work, clock=world.clock, ids=world.ids)
    owner = world.add_user(email="owner@example.com", phone="3000000010")
    store = await apply(application(Actor(owner.id, Role.CUSTOMER)))
    world.database.merchants[store.id].status = MerchantStatus.APPROVED
    staff = world.add_user(email="staff@example.com", phone="3000000011", role=Role.MERCHANT_STAFF)
    for user, role in ((owner, StoreRole.MANAGER), (staff, StoreRole.STAFF)):
        world.database.memberships[user.id] = Membership(store.id, user.id, role, world.clock.now())
    return store, Actor(owner.id, Role.MERCHANT_MANAGER), Actor(staff.id, Role.MERCHANT_STAFF)


async def test_members_write_their_store_and_only_the_manager_manages_people(world):
    store, manager, staff = await _store_with_people(world)
    async with world.unit_of_work() as uow:
        membership = (await merchant_access(uow, manager, store.id, write=True, manager_only=True)).membership
        assert membership is not None
        assert membership.role is StoreRole.MANAGER
        assert (await merchant_access(uow, staff, store.id, write=True)).merchant.id == store.id
        with pytest.raises(NotAllowed):
            await merchant_access(uow, staff, store.id, write=True, manager_only=True)


async def test_outsiders_get_the_same_404_as_for_a_store_that_does_not_exist(world):
    store, _, _ = await _store_with_people(world)
    outsider = world.add_user(email="x@example.com", phone="3000000012")
    support = world.add_user(email="s@example.com", phone="3000000013", role=Role.SUPPORT)
    async with world.unit_of_work() as uow:
        with pytest.raises(NotFound) as foreign:
            await merchant_access(uow, Actor(outsider.id, Role.CUSTOMER), store.id, write=False)
        with pytest.raises(NotFound) as missing:
            await merchant_access(uow, Actor(outsider.id, Role.CUSTOMER), world.ids.new_id(), write=False)
        assert foreign.value.message == missing.value.message
        assert (await merchant_access(uow, Actor(support.id, Role.SUPPORT), store.id, write=False)).membership is None
        with pytest.raises(NotFound):
            await merchant_access(uow, Actor(support.id, Role.SUPPORT), store.id, write=True)


async def test_only_customers_apply_and_only_once(world):
    apply = ApplyForMerchant(unit_of_work=world.unit_of_work, clock=world.clock, ids=world.ids)
    customer = world.add_user()
    store = await apply(application(Actor(customer.id, Role.CUSTOMER)))
    assert world.database.merchants[store.id].status is MerchantStatus.PENDING
    with pytest.raises(Conflict):
        await apply(application(Actor(customer.id, Role.CUSTOMER), legal_id="900999999-1"))
    staff = world.add_user(email="st@example.com", phone="3000000014", role=Role.SUPPORT)
    with pytest.raises(NotAllowed):
        await apply(application(Actor(staff.id, Role.SUPPORT), legal_id="900888888-1"))
    assert len(world.database.merchants) == 1
