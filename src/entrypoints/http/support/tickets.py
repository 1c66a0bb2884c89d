"""Support tickets: requesters open and follow them; platform staff answer, assign and resolve them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import UnsetType

from application.ports.support import TicketFilter, TicketSort
from application.support.get_ticket import GetTicketQuery
from application.support.list_tickets import ListTicketsQuery
from application.support.open_ticket import OpenTicketCommand
from application.support.post_ticket_message import PostTicketMessageCommand
from application.support.update_ticket import Assignment, UpdateTicketCommand
from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import UserId
from domain.support.tickets import TicketCategory, TicketId, TicketStatus
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.dependencies import ApiRequest, Support
from entrypoints.http.shared import BEARER, Cursor, Limit, fields_of, listed_by_id, unset_to_none
from entrypoints.http.support.schemas import (
    OpenTicketRequest,
    TicketDetail,
    TicketMessageRequest,
    TicketMessageResponse,
    TicketPage,
    TicketResponse,
    TicketUpdate,
)

TICKETS = listed_by_id("tickets", TicketId)


class TicketsController(Controller):
    path = "/tickets"
    tags = ["support"]
    security = BEARER

    @post(
        "/",
        operation_id="openTicket",
        response_headers=LOCATION,
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Ask the support desk for help (customers, store people)",
    )
    async def open_ticket(
        self, data: JSONBody[OpenTicketRequest], request: ApiRequest, support: Support
    ) -> Response[TicketDetail]:
        opened = await support.open_ticket(OpenTicketCommand(actor=request.actor, **fields_of(data)))
        return created(TicketDetail.of(opened.ticket, [opened.message]), f"/api/v1/tickets/{opened.ticket.id}")

    @get(
        "/",
        operation_id="listTickets",
        responses=problems(InvalidValue),
        summary="Tickets you may see: your own and your store's (staff: all)",
    )
    async def list_tickets(
        self,
        request: ApiRequest,
        support: Support,
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
        pager = request.cursors.pager(TICKETS, cursor, scope=scope)
        page = await support.list_tickets(
            ListTicketsQuery(actor=request.actor, ticket_filter=ticket_filter, after=pager.after, limit=limit)
        )
        return pager.respond(TicketPage, page, TicketResponse.of)

    @get(
        "/{ticket_id:uuid}",
        operation_id="getTicket",
        responses=problems(NotFound),
        summary="A ticket and its conversation",
    )
    async def get_ticket(self, ticket_id: FromPath[UUID], request: ApiRequest, support: Support) -> TicketDetail:
        conversation = await support.get_ticket(GetTicketQuery(actor=request.actor, ticket_id=TicketId(ticket_id)))
        return TicketDetail.of_conversation(conversation)

    @post(
        "/{ticket_id:uuid}/messages",
        operation_id="postTicketMessage",
        description="The message has no address of its own: `Location` is the ticket, whose conversation holds it.",
        response_headers=LOCATION,
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Reply in a ticket; internal notes are for platform staff only",
    )
    async def post_message(
        self, ticket_id: FromPath[UUID], data: JSONBody[TicketMessageRequest], request: ApiRequest, support: Support
    ) -> Response[TicketMessageResponse]:
        message = await support.post_ticket_message(
            PostTicketMessageCommand(
                actor=request.actor, ticket_id=TicketId(ticket_id), body=data.body, internal=data.internal
            )
        )
        return created(TicketMessageResponse.of(message), f"/api/v1/tickets/{ticket_id}")

    @patch(
        "/{ticket_id:uuid}",
        operation_id="updateTicket",
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Assign, prioritise or move a ticket (support, admin)",
    )
    async def update_ticket(
        self, ticket_id: FromPath[UUID], data: JSONBody[TicketUpdate], request: ApiRequest, support: Support
    ) -> TicketResponse:
        assignee = data.assignee_id
        assignment = None if isinstance(assignee, UnsetType) else Assignment(UserId(assignee) if assignee else None)
        ticket = await support.update_ticket(
            UpdateTicketCommand(
                actor=request.actor,
                ticket_id=TicketId(ticket_id),
                status=unset_to_none(data.status),
                assignment=assignment,
                priority=unset_to_none(data.priority),
                request_id=request.request_id,
            )
        )
        return TicketResponse.of(ticket)
