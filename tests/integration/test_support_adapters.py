"""Support desk and audit trail adapters against real PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.postgres import create_session_factory
from adapters.postgres.support.unit_of_work import SqlaSupportUnitOfWork
from adapters.security import Uuid7Generator
from application.ports.audit import AuditFilter
from application.ports.support import TicketFilter, TicketScope, TicketSort
from domain.audit import AuditAction, AuditEvent, SubjectType
from domain.identity.roles import Actor, Role, UserId
from domain.support.tickets import (
    Ticket,
    TicketCategory,
    TicketId,
    TicketMessage,
    TicketMessageId,
    TicketPriority,
    TicketStatus,
)
from tests.integration.test_identity_adapters import a_user

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
ids = Uuid7Generator()


@pytest.fixture
def unit_of_work(engine):
    factory = create_session_factory(engine)
    return lambda: SqlaSupportUnitOfWork(factory, lambda: datetime.now(UTC))


async def _people(unit_of_work):
    customer = a_user()
    agent = a_user(email="agent@example.com", phone="3001234568", national_id="1020304051")
    async with unit_of_work() as uow:
        await uow.users.add(customer)
        await uow.users.add(agent)
        await uow.commit()
    return customer, agent


def _ticket(requester: UserId, *, at: datetime = NOW, category=TicketCategory.ORDER) -> Ticket:
    return Ticket.open(
        id=TicketId(ids.new_id()),
        requester_id=requester,
        merchant_id=None,
        order_id=UUID(int=7),
        subject="Where is my order",
        category=category,
        now=at,
    )


def _message(ticket: Ticket, author: UserId, *, internal: bool, staff: bool) -> TicketMessage:
    return TicketMessage(
        id=TicketMessageId(ids.new_id()),
        ticket_id=ticket.id,
        author_id=author,
        from_staff=staff,
        body="note" if internal else "reply",
        internal=internal,
        created_at=NOW,
    )


async def test_tickets_and_their_conversation_round_trip(unit_of_work):
    customer, agent = await _people(unit_of_work)
    ticket = _ticket(customer.id)
    async with unit_of_work() as uow:
        await uow.tickets.add(ticket)
        await uow.ticket_messages.add(_message(ticket, customer.id, internal=False, staff=False))
        await uow.ticket_messages.add(_message(ticket, agent.id, internal=True, staff=True))
        await uow.commit()
    async with unit_of_work() as uow:
        stored = await uow.tickets.get(ticket.id, for_update=True)
        assert stored == ticket
        stored.assign_to(agent.id, NOW + timedelta(minutes=1))
        stored.prioritise(TicketPriority.URGENT, NOW + timedelta(minutes=1))
        stored.move_to(TicketStatus.RESOLVED, NOW + timedelta(minutes=2))
        await uow.tickets.save(stored)
        await uow.commit()
    async with unit_of_work() as uow:
        assert await uow.tickets.get(ticket.id) == stored
        assert [m.body for m in await uow.ticket_messages.of_ticket(ticket.id, include_internal=True)] == [
            "reply",
            "note",
        ]
        assert [m.body for m in await uow.ticket_messages.of_ticket(ticket.id, include_internal=False)] == ["reply"]


async def test_a_resolved_ticket_without_its_resolution_time_is_refused_by_the_database(unit_of_work):
    customer, _ = await _people(unit_of_work)
    ticket = _ticket(customer.id)
    ticket.status = TicketStatus.RESOLVED  # bypassing the aggregate on purpose
    async with unit_of_work() as uow:
        with pytest.raises(DBAPIError, match="ck_tickets_resolved_at_when_resolved"):
            await uow.tickets.add(ticket)


async def test_listings_keep_to_their_scope_and_the_work_queue_runs_oldest_first(unit_of_work):
    customer, agent = await _people(unit_of_work)
    first, second, third = (_ticket(customer.id) for _ in range(3))
    other = _ticket(agent.id)
    async with unit_of_work() as uow:
        for ticket in (first, second, third, other):
            await uow.tickets.add(ticket)
        loaded = await uow.tickets.get(second.id, for_update=True)
        loaded.move_to(TicketStatus.RESOLVED, NOW)
        await uow.tickets.save(loaded)
        await uow.commit()
    mine = TicketScope(requester_id=customer.id)
    async with unit_of_work() as uow:
        newest = await uow.tickets.list(mine, TicketFilter(), after=None, limit=10)
        queue = await uow.tickets.list(TicketScope(), TicketFilter(sort=TicketSort.OLDEST_OPEN), after=None, limit=2)
        rest = await uow.tickets.list(
            TicketScope(), TicketFilter(sort=TicketSort.OLDEST_OPEN), after=queue[-1].id, limit=2
        )
        resolved = await uow.tickets.list(mine, TicketFilter(status=TicketStatus.RESOLVED), after=None, limit=10)
    assert [t.id for t in newest] == [third.id, second.id, first.id]
    assert [t.id for t in queue] == [first.id, third.id]
    assert [t.id for t in rest] == [other.id]
    assert [t.id for t in resolved] == [second.id]


async def test_stats_count_by_status_and_category_and_take_medians_in_seconds(unit_of_work):
    customer, _ = await _people(unit_of_work)
    async with unit_of_work() as uow:
        for minutes in (10, 20, 60):
            ticket = _ticket(customer.id, category=TicketCategory.PAYMENT)
            ticket.reply_from_staff(internal=False, now=NOW + timedelta(minutes=minutes))
            ticket.move_to(TicketStatus.RESOLVED, NOW + timedelta(minutes=2 * minutes))
            await uow.tickets.add(ticket)
        await uow.tickets.add(_ticket(customer.id))  # unanswered: in the counts, not in the medians
        await uow.tickets.add(_ticket(customer.id, at=NOW - timedelta(days=1)))  # outside the period
        await uow.commit()
    async with unit_of_work() as uow:
        stats = await uow.support_stats.stats(opened_from=NOW, opened_to=NOW + timedelta(hours=1))
    assert stats.opened == 4
    assert stats.by_status == {TicketStatus.RESOLVED: 3, TicketStatus.OPEN: 1}
    assert stats.by_category == {TicketCategory.PAYMENT: 3, TicketCategory.ORDER: 1}
    assert stats.median_first_response_seconds == 20 * 60
    assert stats.median_resolution_seconds == 40 * 60


def _event(actor: Actor, subject: UUID, action=AuditAction.TICKET_STATUS_CHANGED, at=NOW) -> AuditEvent:
    return AuditEvent.of(
        actor,
        action,
        SubjectType.TICKET,
        subject,
        before={"status": "open"},
        after={"status": None},
        request_id="req-1",
        now=at,
    )


async def test_audit_events_round_trip_and_filter(unit_of_work):
    support = Actor(UserId(ids.new_id()), Role.SUPPORT)
    one, two = UUID(int=1), UUID(int=2)
    async with unit_of_work() as uow:
        await uow.audit.record(_event(support, one))
        await uow.audit.record(_event(support, two, AuditAction.TICKET_ASSIGNED, NOW + timedelta(hours=1)))
        await uow.commit()
    async with unit_of_work() as uow:
        everything = await uow.audit.list(AuditFilter(), after=None, limit=10)
        assigned = await uow.audit.list(AuditFilter(action=AuditAction.TICKET_ASSIGNED), after=None, limit=10)
        early = await uow.audit.list(AuditFilter(occurred_to=NOW + timedelta(minutes=1)), after=None, limit=10)
        next_page = await uow.audit.list(AuditFilter(), after=everything[0].id, limit=10)
    assert [recorded.event.subject_id for recorded in everything] == [two, one]
    assert everything[1].event == _event(support, one)
    assert [recorded.event.subject_id for recorded in assigned] == [two]
    assert [recorded.event.subject_id for recorded in early] == [one]
    assert [recorded.event.subject_id for recorded in next_page] == [one]


async def test_an_audit_event_is_rolled_back_with_the_action_it_describes(unit_of_work):
    async with unit_of_work() as uow:
        await uow.audit.record(_event(Actor(UserId(ids.new_id()), Role.ADMIN), UUID(int=1)))
    async with unit_of_work() as uow:
        assert await uow.audit.list(AuditFilter(), after=None, limit=10) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'merchant.approved'",
        "UPDATE audit_events SET after = '{}' WHERE id = gen_random_uuid()",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = gen_random_uuid()",
    ],
)
async def test_the_database_refuses_to_update_or_delete_audit_events(unit_of_work, engine, statement):
    async with unit_of_work() as uow:
        await uow.audit.record(_event(Actor(UserId(ids.new_id()), Role.ADMIN), UUID(int=1)))
        await uow.commit()
    with pytest.raises(DBAPIError, match="audit_events is append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    async with unit_of_work() as uow:
        [kept] = await uow.audit.list(AuditFilter(), after=None, limit=10)
    assert kept.event.action is AuditAction.TICKET_STATUS_CHANGED


async def test_a_ticket_read_for_update_waits_for_the_other_writer_and_sees_its_change(unit_of_work):
    customer, _ = await _people(unit_of_work)
    ticket = _ticket(customer.id)
    async with unit_of_work() as uow:
        await uow.tickets.add(ticket)
        await uow.commit()

    async def second_writer() -> TicketStatus:
        async with unit_of_work() as uow:
            seen = await uow.tickets.get(ticket.id, for_update=True)
            return seen.status

    async with unit_of_work() as uow:
        first = await uow.tickets.get(ticket.id, for_update=True)
        waiting = asyncio.create_task(second_writer())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        first.move_to(TicketStatus.CLOSED, NOW)
        await uow.tickets.save(first)
        await uow.commit()
    assert await waiting is TicketStatus.CLOSED


async def test_staff_filters_narrow_by_assignee_requester_store_and_category(unit_of_work):
    customer, agent = await _people(unit_of_work)
    mine, theirs, assigned = (
        _ticket(customer.id),
        _ticket(agent.id),
        _ticket(customer.id, category=TicketCategory.OTHER),
    )
    assigned.assign_to(agent.id, NOW)
    async with unit_of_work() as uow:
        for ticket in (mine, theirs, assigned):
            await uow.tickets.add(ticket)
        await uow.commit()
    everyone = TicketScope()

    async def ids(**wanted) -> list[TicketId]:
        async with unit_of_work() as uow:
            found = await uow.tickets.list(everyone, TicketFilter(**wanted), after=None, limit=10)
        return [ticket.id for ticket in found]

    assert await ids(assignee_id=agent.id) == [assigned.id]
    assert await ids(requester_id=customer.id) == [assigned.id, mine.id]
    assert await ids(category=TicketCategory.OTHER) == [assigned.id]
    assert await ids(merchant_id=UUID(int=404)) == []
