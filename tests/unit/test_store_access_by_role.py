"""Issue 13, defect 6 on fakes: a membership gives store access only while the account has a store role."""

import pytest

from application.catalog.access import merchant_access
from domain.catalog.merchants import Membership, MerchantStatus, StoreRole
from domain.errors import NotFound
from domain.identity.roles import Actor, Role
from tests.unit.factories import MerchantFactory
from tests.unit.fakes import IdentityWorld


@pytest.mark.parametrize(
    ("store_role", "account_role"), [(StoreRole.MANAGER, Role.MERCHANT_MANAGER), (StoreRole.STAFF, Role.MERCHANT_STAFF)]
)
async def test_a_member_made_a_customer_has_no_store_access(store_role, account_role):
    world = IdentityWorld()
    person = world.add_user(role=account_role)
    store = MerchantFactory.build(status=MerchantStatus.APPROVED)
    world.database.merchants[store.id] = store
    world.database.memberships[person.id] = Membership(store.id, person.id, store_role, world.clock.now())
    async with world.unit_of_work() as uow:
        granted = await merchant_access(uow, Actor(person.id, account_role), store.id, write=True)
        assert granted.membership is not None
        for demoted in (Role.CUSTOMER, Role.SUPPORT):
            with pytest.raises(NotFound):
                await merchant_access(uow, Actor(person.id, demoted), store.id, write=True)
