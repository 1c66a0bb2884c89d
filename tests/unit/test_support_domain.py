"""Ticket rules, with no fixtures: statuses, replies, the desk's timings."""

from datetime import timedelta

import pytest

from domain.audit import AuditAction, AuditEvent, SubjectType
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import Actor, Role, UserId
from domain.support.tickets import Ticket, TicketCategory, TicketPriority, TicketStatus, message_body, ticket_subject
from tests.unit.factories import TicketFactory
from tests.unit.fakes import START

LATER = START + timedelta(hours=2)


def test_a_new_ticket_is_open_normal_and_unassigned():
    ticket = Ticket.open(
        id=TicketFactory.build().id,
        requester_id=TicketFactory.build().requester_id,
        merchant_id=None,
        order_id=None,
        subject="  Where   is my order ",
        category=TicketCategory.ORDER,
        now=START,
    )
    assert (ticket.status, ticket.priority, ticket.assignee_id) == (TicketStatus.OPEN, TicketPriority.NORMAL, None)
    assert ticket.subject == "Where is my order"


@pytest.mark.parametrize("subject", ["", "ab", "x" * 201])
def test_a_subject_has_three_to_two_hundred_characters(subject):
    with pytest.raises(InvalidValue) as error:
        ticket_subject(subject)
    assert error.value.field == "subject"


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_a_message_is_never_empty_nor_longer_than_five_thousand_characters(body):
    with pytest.raises(InvalidValue) as error:
        message_body(body)
    assert error.value.field == "body"


@pytest.mark.parametrize("status", [TicketStatus.PENDING, TicketStatus.RESOLVED])
def test_a_reply_from_the_requester_brings_pending_and_resolved_tickets_back_to_open(status):
    ticket = TicketFactory.build(status=status, resolved_at=START if status is TicketStatus.RESOLVED else None)
    ticket.reply_from_requester(LATER)
    assert ticket.status is TicketStatus.OPEN
    assert ticket.resolved_at is None
    assert ticket.updated_at == LATER


def test_closed_is_final_for_replies_and_for_every_change():
    ticket = TicketFactory.build(status=TicketStatus.CLOSED, resolved_at=START)
    for change in (
        lambda: ticket.reply_from_requester(LATER),
        lambda: ticket.reply_from_staff(internal=False, now=LATER),
        lambda: ticket.move_to(TicketStatus.OPEN, LATER),
        lambda: ticket.assign_to(None, LATER),
        lambda: ticket.prioritise(TicketPriority.URGENT, LATER),
    ):
        with pytest.raises(Conflict):
            change()
    assert ticket.status is TicketStatus.CLOSED


def test_only_the_first_public_staff_reply_is_the_first_response():
    ticket = TicketFactory.build()
    ticket.reply_from_staff(internal=True, now=START + timedelta(minutes=5))
    assert ticket.first_response_at is None
    ticket.reply_from_staff(internal=False, now=START + timedelta(minutes=10))
    ticket.reply_from_staff(internal=False, now=START + timedelta(minutes=20))
    assert ticket.first_response_at == START + timedelta(minutes=10)


def test_resolving_stamps_the_resolution_time_and_reopening_clears_it():
    ticket = TicketFactory.build()
    ticket.move_to(TicketStatus.RESOLVED, LATER)
    assert ticket.resolved_at == LATER
    ticket.move_to(TicketStatus.PENDING, LATER + timedelta(hours=1))
    assert ticket.resolved_at is None


def test_closing_keeps_the_resolution_time_or_stamps_it_if_never_resolved():
    resolved = TicketFactory.resolved(after=timedelta(hours=1))
    resolved.move_to(TicketStatus.CLOSED, LATER)
    assert resolved.resolved_at == START + timedelta(hours=1)
    never_resolved = TicketFactory.build()
    never_resolved.move_to(TicketStatus.CLOSED, LATER)
    assert never_resolved.resolved_at == LATER


def test_an_audit_event_names_the_actor_and_copies_its_summaries():
    actor = Actor(UserId(TicketFactory.build().requester_id), Role.SUPPORT)
    before = {"status": "open"}
    event = AuditEvent.of(
        actor,
        AuditAction.TICKET_STATUS_CHANGED,
        SubjectType.TICKET,
        TicketFactory.build().id,
        before=before,
        after={"status": "resolved"},
        request_id="req-1",
        now=START,
    )
    before["status"] = "changed later"
    assert (event.actor_id, event.actor_role, event.before) == (actor.user_id, Role.SUPPORT, {"status": "open"})
