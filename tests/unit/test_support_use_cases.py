"""Support desk rules on fakes: who opens, sees, writes in and changes which ticket."""

from datetime import timedelta
from uuid import UUID

import pytest

from application.audit.list_audit_events import ListAuditEvents, ListAuditEventsQuery
from application.ports.audit import AuditFilter
from application.ports.support import TicketFilter, TicketSort
from application.support.get_ticket import GetTicketQuery
from application.support.list_tickets import ListTicketsQuery
from application.support.open_ticket import OpenTicketCommand
from application.support.post_ticket_message import TICKET_REPLY, PostTicketMessageCommand
from application.support.support_stats import SupportStatsQuery
from application.support.update_ticket import Assignment, UpdateTicketCommand
from domain.audit import AuditAction, SubjectType
from domain.catalog.merchants import Membership, MerchantId, StoreRole
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role
from domain.support.tickets import TicketCategory, TicketPriority, TicketStatus
from tests.unit.support_fakes import SupportWorld

ORDER = UUID(int=10_000)


@pytest.fixture
def world() -> SupportWorld:
    return SupportWorld()


def person(world: SupportWorld, role: Role, n: int) -> Actor:
    user = world.add_user(email=f"p{n}@example.com", phone=f"30000000{n:02d}", role=role)
    return Actor(user.id, role)


def works_for(world: SupportWorld, actor: Actor, store: MerchantId) -> Actor:
    role = StoreRole.MANAGER if actor.role is Role.MERCHANT_MANAGER else StoreRole.STAFF
    world.database.memberships[actor.user_id] = Membership(store, actor.user_id, role, world.clock.now())
    return actor


def ticket_about(actor: Actor, **changes) -> OpenTicketCommand:
    values = {"subject": "My parcel never arrived", "body": "It has been two weeks", "category": TicketCategory.OTHER}
    return OpenTicketCommand(actor=actor, **(values | changes))


async def test_a_customer_opens_a_ticket_whose_body_is_its_first_message(world):
    customer = person(world, Role.CUSTOMER, 1)
    opened = await world.open_ticket(ticket_about(customer))
    assert world.support.tickets[opened.ticket.id].status is TicketStatus.OPEN
    assert [m.body for m in world.support.messages] == ["It has been two weeks"]
    assert world.support.tickets[opened.ticket.id].merchant_id is None


@pytest.mark.parametrize("role", [Role.SUPPORT, Role.ADMIN])
async def test_platform_staff_do_not_open_tickets(world, role):
    with pytest.raises(NotAllowed):
        await world.open_ticket(ticket_about(person(world, role, 1)))
    assert world.support.tickets == {}


async def test_an_order_ticket_must_be_about_the_requesters_own_order(world):
    buyer, stranger = person(world, Role.CUSTOMER, 1), person(world, Role.CUSTOMER, 2)
    store = MerchantId(UUID(int=500))
    world.orders.add(ORDER, buyer.user_id, store)
    seller = works_for(world, person(world, Role.MERCHANT_STAFF, 3), store)
    other_store_staff = works_for(world, person(world, Role.MERCHANT_STAFF, 4), MerchantId(UUID(int=501)))

    assert (await world.open_ticket(ticket_about(buyer, order_id=ORDER))).ticket.order_id == ORDER
    assert (await world.open_ticket(ticket_about(seller, order_id=ORDER))).ticket.merchant_id == store
    for outsider in (stranger, other_store_staff):
        with pytest.raises(NotFound) as error:
            await world.open_ticket(ticket_about(outsider, order_id=ORDER))
        assert error.value.field == "order_id"
    with pytest.raises(NotFound):
        await world.open_ticket(ticket_about(buyer, order_id=UUID(int=99_999)))
    assert len(world.support.tickets) == 2


async def test_a_stores_people_share_its_tickets_and_other_stores_get_a_404(world):
    store, other = MerchantId(UUID(int=500)), MerchantId(UUID(int=501))
    staff = works_for(world, person(world, Role.MERCHANT_STAFF, 1), store)
    manager = works_for(world, person(world, Role.MERCHANT_MANAGER, 2), store)
    foreigner = works_for(world, person(world, Role.MERCHANT_STAFF, 3), other)
    opened = await world.open_ticket(ticket_about(staff, category=TicketCategory.CATALOG))

    seen = await world.get_ticket(GetTicketQuery(manager, opened.ticket.id))
    assert seen.ticket.id == opened.ticket.id
    assert [t.id for t in (await world.list_tickets(ListTicketsQuery(manager))).items] == [opened.ticket.id]
    with pytest.raises(NotFound):
        await world.get_ticket(GetTicketQuery(foreigner, opened.ticket.id))
    assert (await world.list_tickets(ListTicketsQuery(foreigner))).items == []
    with pytest.raises(NotFound):
        await world.post_message(PostTicketMessageCommand(foreigner, opened.ticket.id, "hello"))


async def test_the_requester_never_sees_internal_notes_and_only_staff_write_them(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    await world.post_message(PostTicketMessageCommand(support, ticket.id, "We are on it"))
    await world.post_message(PostTicketMessageCommand(support, ticket.id, "Carrier lost it", internal=True))
    with pytest.raises(NotAllowed):
        await world.post_message(PostTicketMessageCommand(customer, ticket.id, "sneaky", internal=True))

    customer_view = await world.get_ticket(GetTicketQuery(customer, ticket.id))
    staff_view = await world.get_ticket(GetTicketQuery(support, ticket.id))
    assert [m.body for m in customer_view.messages] == ["It has been two weeks", "We are on it"]
    assert [m.body for m in staff_view.messages][-1] == "Carrier lost it"


async def test_a_public_staff_reply_is_queued_for_the_requester_and_an_internal_note_is_not(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    world.clock.advance(minutes=30)
    await world.post_message(PostTicketMessageCommand(support, ticket.id, "Carrier lost it", internal=True))
    assert world.database.outbox == []
    await world.post_message(PostTicketMessageCommand(support, ticket.id, "We are on it"))
    [sent] = world.database.outbox
    assert (sent.recipient, sent.kind, sent.payload["ticket_id"]) == ("p1@example.com", TICKET_REPLY, str(ticket.id))
    assert world.support.tickets[ticket.id].first_response_at == world.clock.now()


async def test_the_requesters_reply_moves_a_pending_ticket_back_to_open(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    await world.update_ticket(UpdateTicketCommand(support, ticket.id, status=TicketStatus.PENDING))
    await world.post_message(PostTicketMessageCommand(customer, ticket.id, "Here is the tracking number"))
    assert world.support.tickets[ticket.id].status is TicketStatus.OPEN


async def test_nobody_writes_in_a_closed_ticket(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    await world.update_ticket(UpdateTicketCommand(support, ticket.id, status=TicketStatus.CLOSED))
    for actor in (customer, support):
        with pytest.raises(Conflict):
            await world.post_message(PostTicketMessageCommand(actor, ticket.id, "anyone there?"))
    assert len(world.support.messages) == 1


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.MERCHANT_MANAGER, Role.MERCHANT_STAFF])
async def test_only_platform_staff_change_tickets(world, role):
    requester = person(world, Role.CUSTOMER, 1)
    ticket = (await world.open_ticket(ticket_about(requester))).ticket
    with pytest.raises(NotAllowed):
        await world.update_ticket(UpdateTicketCommand(person(world, role, 2), ticket.id, status=TicketStatus.CLOSED))
    assert world.support.tickets[ticket.id].status is TicketStatus.OPEN


async def test_tickets_are_assigned_to_active_staff_only_and_a_bad_assignee_changes_nothing(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    with pytest.raises(InvalidValue) as error:
        await world.update_ticket(
            UpdateTicketCommand(
                support, ticket.id, status=TicketStatus.PENDING, assignment=Assignment(customer.user_id)
            )
        )
    assert error.value.field == "assignee_id"
    assert world.support.tickets[ticket.id].status is TicketStatus.OPEN
    assert world.database.audit_events == []


async def test_each_change_of_a_ticket_leaves_one_audit_event_and_a_no_change_leaves_none(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    ticket = (await world.open_ticket(ticket_about(customer))).ticket
    await world.update_ticket(
        UpdateTicketCommand(support, ticket.id, assignment=Assignment(support.user_id), request_id="req-7")
    )
    [assigned] = world.database.audit_events
    assert assigned.event.action is AuditAction.TICKET_ASSIGNED
    assert (assigned.event.subject_type, assigned.event.subject_id) == (SubjectType.TICKET, ticket.id)
    assert assigned.event.before == {"assignee_id": None}
    assert assigned.event.after == {"assignee_id": str(support.user_id)}
    assert (assigned.event.actor_id, assigned.event.request_id) == (support.user_id, "req-7")

    await world.update_ticket(
        UpdateTicketCommand(support, ticket.id, assignment=Assignment(support.user_id), status=TicketStatus.OPEN)
    )
    assert len(world.database.audit_events) == 1

    await world.update_ticket(
        UpdateTicketCommand(support, ticket.id, status=TicketStatus.RESOLVED, priority=TicketPriority.HIGH)
    )
    actions = [recorded.event.action for recorded in world.database.audit_events]
    assert actions == [
        AuditAction.TICKET_ASSIGNED,
        AuditAction.TICKET_PRIORITY_CHANGED,
        AuditAction.TICKET_STATUS_CHANGED,
    ]


async def test_the_work_queue_lists_unresolved_tickets_oldest_first(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    first, second, third = [(await world.open_ticket(ticket_about(customer))).ticket for _ in range(3)]
    await world.update_ticket(UpdateTicketCommand(support, second.id, status=TicketStatus.RESOLVED))
    queue = await world.list_tickets(ListTicketsQuery(support, TicketFilter(sort=TicketSort.OLDEST_OPEN), limit=1))
    assert [t.id for t in queue.items] == [first.id]
    rest = await world.list_tickets(
        ListTicketsQuery(support, TicketFilter(sort=TicketSort.OLDEST_OPEN), after=queue.next_position)
    )
    assert [t.id for t in rest.items] == [third.id]
    assert rest.next_position is None


async def test_stats_give_median_first_response_and_resolution_times(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    opened_at = world.clock.now()
    for minutes in (10, 20, 60):
        ticket = (await world.open_ticket(ticket_about(customer, category=TicketCategory.PAYMENT))).ticket
        world.clock.advance(minutes=minutes)
        await world.post_message(PostTicketMessageCommand(support, ticket.id, "On it"))
        world.clock.advance(minutes=minutes)
        await world.update_ticket(UpdateTicketCommand(support, ticket.id, status=TicketStatus.RESOLVED))
        world.clock.current = opened_at
    stats = await world.stats(SupportStatsQuery(support, opened_to=opened_at + timedelta(seconds=1)))
    assert stats.opened == 3
    assert stats.by_status == {TicketStatus.RESOLVED: 3}
    assert stats.by_category == {TicketCategory.PAYMENT: 3}
    assert stats.median_first_response_seconds == 20 * 60
    assert stats.median_resolution_seconds == 40 * 60
    with pytest.raises(InvalidValue) as error:
        await world.stats(SupportStatsQuery(support, opened_from=opened_at, opened_to=opened_at))
    assert error.value.field == "from"
    with pytest.raises(NotAllowed):
        await world.stats(SupportStatsQuery(customer))


async def test_only_admins_read_the_audit_trail_and_its_filters_narrow_it(world):
    customer, support = person(world, Role.CUSTOMER, 1), person(world, Role.SUPPORT, 2)
    admin = person(world, Role.ADMIN, 3)
    one, two = [(await world.open_ticket(ticket_about(customer))).ticket for _ in range(2)]
    for ticket in (one, two):
        await world.update_ticket(UpdateTicketCommand(support, ticket.id, status=TicketStatus.PENDING))
    trail = ListAuditEvents(unit_of_work=world.unit_of_work)
    with pytest.raises(NotAllowed):
        await trail(ListAuditEventsQuery(support))
    page = await trail(ListAuditEventsQuery(admin, AuditFilter(subject_id=one.id)))
    assert [recorded.event.subject_id for recorded in page.items] == [one.id]
    everything = await trail(ListAuditEventsQuery(admin, limit=1))
    assert [recorded.event.subject_id for recorded in everything.items] == [two.id]
    assert everything.next_position is not None


async def test_the_audit_trail_refuses_times_without_an_offset(world):
    admin = person(world, Role.ADMIN, 1)
    trail = ListAuditEvents(unit_of_work=world.unit_of_work)
    naive = world.clock.now().replace(tzinfo=None)
    with pytest.raises(InvalidValue) as error:
        await trail(ListAuditEventsQuery(admin, AuditFilter(occurred_to=naive)))
    assert error.value.field == "to"


async def test_stats_cover_the_thirty_days_before_now_unless_told_otherwise(world):
    stats = await world.stats(SupportStatsQuery(person(world, Role.SUPPORT, 1)))
    assert (stats.opened_from, stats.opened_to) == (world.clock.now() - timedelta(days=30), world.clock.now())
    assert stats.opened == 0
    assert stats.median_first_response_seconds is None
