"""Staff actions outside the desk leave exactly one audit event each, in the action's own commit."""

import pytest

from application.identity.administration import ChangeUserAccess, ChangeUserAccessCommand
from domain.audit import AuditAction, SubjectType
from domain.errors import NotAllowed
from domain.identity.roles import Actor, Role
from tests.unit.fakes import IdentityWorld


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
