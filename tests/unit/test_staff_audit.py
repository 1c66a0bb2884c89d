"""Staff actions outside the desk leave exactly one audit event each, in the action's own commit."""

import pytest

from application.catalog.approve_merchant import ApproveMerchant, ApproveMerchantCommand
from application.catalog.reinstate_merchant import ReinstateMerchant, ReinstateMerchantCommand
from application.catalog.reinstate_product import ReinstateProduct, ReinstateProductCommand
from application.catalog.suspend_merchant import SuspendMerchant, SuspendMerchantCommand
from application.catalog.suspend_product import SuspendProduct, SuspendProductCommand
from application.identity.administration import ChangeUserAccess, ChangeUserAccessCommand
from domain.audit import AuditAction, SubjectType
from domain.errors import Conflict, NotAllowed
from domain.identity.roles import Actor, Role
from tests.unit.fakes import IdentityWorld, RecordingCatalogCache
from tests.unit.test_catalog_products import open_shop
from tests.unit.test_catalog_stores import pending_store, person


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


def change_access(world: IdentityWorld) -> ChangeUserAccess:
    return ChangeUserAccess(unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials)


async def test_a_role_change_leaves_one_event_with_the_role_before_and_after(world):
    admin = world.add_user(email="admin@example.com", phone="3000000001", role=Role.ADMIN)
    customer = world.add_user()
    actor = Actor(admin.id, Role.ADMIN)
    await change_access(world)(
        ChangeUserAccessCommand(actor=actor, user_id=customer.id, role=Role.SUPPORT, request_id="req-42")
    )
    [recorded] = world.database.audit_events
    event = recorded.event
    assert (event.action, event.subject_type, event.subject_id) == (
        AuditAction.USER_ROLE_CHANGED,
        SubjectType.USER,
        customer.id,
    )
    assert (event.before, event.after) == ({"role": "customer"}, {"role": "support"})
    assert (event.actor_id, event.actor_role, event.request_id) == (admin.id, Role.ADMIN, "req-42")
    assert event.occurred_at == world.clock.now()


async def test_a_deactivation_leaves_one_status_event_and_a_no_change_leaves_none(world):
    support = world.add_user(email="support@example.com", phone="3000000001", role=Role.SUPPORT)
    customer = world.add_user()
    actor = Actor(support.id, Role.SUPPORT)
    await change_access(world)(ChangeUserAccessCommand(actor=actor, user_id=customer.id, is_active=False))
    await change_access(world)(ChangeUserAccessCommand(actor=actor, user_id=customer.id, is_active=False))
    [recorded] = world.database.audit_events
    assert recorded.event.action is AuditAction.USER_STATUS_CHANGED
    assert (recorded.event.before, recorded.event.after) == ({"status": "active"}, {"status": "inactive"})


async def test_a_refused_change_leaves_no_event(world):
    support = world.add_user(email="support@example.com", phone="3000000001", role=Role.SUPPORT)
    customer = world.add_user()
    with pytest.raises(NotAllowed):
        await change_access(world)(
            ChangeUserAccessCommand(actor=Actor(support.id, Role.SUPPORT), user_id=customer.id, role=Role.ADMIN)
        )
    assert world.database.audit_events == []


async def test_each_store_decision_leaves_one_event_with_the_status_before_and_after(world):
    cache = RecordingCatalogCache()
    support = person(world, Role.ADMIN)  # store decisions are admin-only (issue 13)
    store, applicant, _ = pending_store(world)
    await ApproveMerchant(
        unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials, cache=cache
    )(ApproveMerchantCommand(actor=support, merchant_id=store.id, request_id="req-1"))
    await SuspendMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)(
        SuspendMerchantCommand(actor=support, merchant_id=store.id, reason="documentos vencidos", request_id="req-2")
    )
    await ReinstateMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=cache)(
        ReinstateMerchantCommand(actor=support, merchant_id=store.id, request_id="req-3")
    )
    trail = [(r.event.action, r.event.before, r.event.after, r.event.request_id) for r in world.database.audit_events]
    assert trail == [
        (
            AuditAction.MERCHANT_APPROVED,
            {"status": "pending", "suspension_reason": None},
            {"status": "approved", "suspension_reason": None},
            "req-1",
        ),
        (
            AuditAction.MERCHANT_SUSPENDED,
            {"status": "approved", "suspension_reason": None},
            {"status": "suspended", "suspension_reason": "documentos vencidos"},
            "req-2",
        ),
        (
            AuditAction.MERCHANT_REINSTATED,
            {"status": "suspended", "suspension_reason": "documentos vencidos"},
            {"status": "approved", "suspension_reason": None},
            "req-3",
        ),
    ]
    assert {r.event.subject_id for r in world.database.audit_events} == {store.id}
    assert applicant.id not in {r.event.subject_id for r in world.database.audit_events}


async def test_a_refused_store_decision_leaves_no_event(world):
    store, _, _ = pending_store(world)
    with pytest.raises(NotAllowed):
        await SuspendMerchant(unit_of_work=world.unit_of_work, clock=world.clock, cache=RecordingCatalogCache())(
            SuspendMerchantCommand(actor=person(world), merchant_id=store.id, reason="documentos")
        )
    assert world.database.audit_events == []


async def test_product_moderation_leaves_one_event_per_decision():
    shop = open_shop()
    product = shop.add_product()
    suspend = SuspendProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)
    reinstate = ReinstateProduct(unit_of_work=shop.uow, clock=shop.world.clock, cache=shop.cache)
    await suspend(SuspendProductCommand(actor=shop.support, product_id=product.id, reason="imagen engañosa"))
    await reinstate(ReinstateProductCommand(actor=shop.support, product_id=product.id, request_id="req-9"))
    trail = [(r.event.action, r.event.subject_type, r.event.after) for r in shop.world.database.audit_events]
    assert trail == [
        (AuditAction.PRODUCT_SUSPENDED, SubjectType.PRODUCT, {"suspension_reason": "imagen engañosa"}),
        (AuditAction.PRODUCT_REINSTATED, SubjectType.PRODUCT, {"suspension_reason": None}),
    ]
    assert shop.world.database.audit_events[1].event.request_id == "req-9"
    with pytest.raises(Conflict):
        await reinstate(ReinstateProductCommand(actor=shop.support, product_id=product.id))
    assert len(shop.world.database.audit_events) == 2
