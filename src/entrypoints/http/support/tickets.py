"""Support tickets: requesters open and follow them; platform staff answer, assign and resolve them."""

from __future__ import annotations

from typing import Annotated, TypeVar
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import UnsetType

from application.ports.support import TicketFilter, TicketSort
from application.support.get_ticket import GetTicket, GetTicketQuery
from application.support.list_tickets import ListTickets, ListTicketsQuery
from application.support.open_ticket import OpenTicket, OpenTicketCommand
from application.support.post_ticket_message import PostTicketMessage, PostTicketMessageCommand
from application.support.update_ticket import Assignment, UpdateTicket, UpdateTicketCommand
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue
from domain.identity.roles import Actor, UserId
from domain.support.tickets import TicketCategory, TicketId, TicketStatus
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.support.schemas import (
    OpenTicketRequest,
    TicketDetail,
    TicketMessageRequest,
    TicketMessageResponse,
    TicketPage,
    TicketResponse,
    TicketUpdate,
)

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(max_length=512, description="next_cursor of the previous page")]


T = TypeVar("T")


def _unset_to_none(value: T | UnsetType) -> T | None:
    return None if isinstance(value, UnsetType) else value


class TicketsController(Controller):
    path = "/tickets"
    tags = ["support"]
    security = BEARER

    @post("/", operation_id="openTicket", summary="Ask the support desk for help (customers, store people)")
    async def open_ticket(
        self, data: JSONBody[OpenTicketRequest], actor: NamedDependency[Actor], open_ticket: NamedDependency[OpenTicket]
    ) -> TicketDetail:
        opened = await open_ticket(
            OpenTicketCommand(
                actor=actor, subject=data.subject, body=data.body, category=data.category, order_id=data.order_id
            )
        )
        return TicketDetail.of(opened.ticket, [opened.message])

    @get("/", operation_id="listTickets", summary="Tickets you may see: your own and your store's (staff: all)")
    async def list_tickets(
        self,
        actor: NamedDependency[Actor],
        list_tickets: NamedDependency[ListTickets],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[TicketStatus | None, QueryParameter()] = None,
        assignee: Annotated[UUID | None, QueryParameter(description="Assignee's user id")] = None,
        category: Annotated[TicketCategory | None, QueryParameter()] = None,
        requester: Annotated[UUID | None, QueryParameter(description="Requester's user id")] = None,
        merchant: Annotated[UUID | None, QueryParameter(description="The requester's store")] = None,
        sort: Annotated[TicketSort, QueryParameter(description="newest, or oldest_open (the work queue)")] = (
            TicketSort.NEWEST
        ),
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> TicketPage:
        ticket_filter = TicketFilter(
            status=status,
            assignee_id=UserId(assignee) if assignee else None,
            category=category,
            requester_id=UserId(requester) if requester else None,
            merchant_id=MerchantId(merchant) if merchant else None,
            sort=sort,
        )
        scope = "|".join(str(value or "") for value in (status, assignee, category, requester, merchant, sort))
        after = None
        if cursor:
            position = cursors.decode("tickets", cursor)
            if position.get("q") != scope:
                raise InvalidValue("the cursor belongs to another listing", field="cursor", rule="cursor")
            after = TicketId(UUID(position["after"]))
        page = await list_tickets(ListTicketsQuery(actor=actor, ticket_filter=ticket_filter, after=after, limit=limit))
        next_cursor = cursors.encode("tickets", {"after": str(page.last_id), "q": scope}) if page.last_id else None
        return TicketPage(items=[TicketResponse.of(ticket) for ticket in page.items], next_cursor=next_cursor)

    @get("/{ticket_id:uuid}", operation_id="getTicket", summary="A ticket and its conversation")
    async def get_ticket(
        self, ticket_id: FromPath[UUID], actor: NamedDependency[Actor], get_ticket: NamedDependency[GetTicket]
    ) -> TicketDetail:
        conversation = await get_ticket(GetTicketQuery(actor=actor, ticket_id=TicketId(ticket_id)))
        return TicketDetail.of_conversation(conversation)

    @post(
        "/{ticket_id:uuid}/messages",
        operation_id="postTicketMessage",
        summary="Reply in a ticket; internal notes are for platform staff only",
    )
    async def post_message(
        self,
        ticket_id: FromPath[UUID],
        data: JSONBody[TicketMessageRequest],
        actor: NamedDependency[Actor],
        post_ticket_message: NamedDependency[PostTicketMessage],
    ) -> TicketMessageResponse:
        message = await post_ticket_message(
            PostTicketMessageCommand(actor=actor, ticket_id=TicketId(ticket_id), body=data.body, internal=data.internal)
        )
        return TicketMessageResponse.of(message)

    @patch("/{ticket_id:uuid}", operation_id="updateTicket", summary="Assign, prioritise or move a ticket (staff)")
    async def update_ticket(
        self,
        ticket_id: FromPath[UUID],
        data: JSONBody[TicketUpdate],
        actor: NamedDependency[Actor],
        request_id: NamedDependency[str | None],
        update_ticket: NamedDependency[UpdateTicket],
    ) -> TicketResponse:
        assignee = data.assignee_id
        assignment = None if isinstance(assignee, UnsetType) else Assignment(UserId(assignee) if assignee else None)
        ticket = await update_ticket(
            UpdateTicketCommand(
                actor=actor,
                ticket_id=TicketId(ticket_id),
                status=_unset_to_none(data.status),
                assignment=assignment,
                priority=_unset_to_none(data.priority),
                request_id=request_id,
            )
        )
        return TicketResponse.of(ticket)
