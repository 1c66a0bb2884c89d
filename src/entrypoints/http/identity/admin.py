"""Staff administration of accounts and the notification outbox."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import get, patch
from litestar.params import FromPath, JSONBody, QueryParameter

from application.identity.administration import (
    ChangeUserAccessCommand,
    ListOutboxQuery,
    ListUsersQuery,
)
from application.ports import UserFilter
from domain.errors import InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Role, UserId
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Identity
from entrypoints.http.identity.schemas import (
    OutboxMessageResponse,
    OutboxPage,
    UserAccessUpdate,
    UserPage,
    UserResponse,
)
from entrypoints.http.input import LINE_PATTERN
from entrypoints.http.shared import Cursor, Limit, Listing, StaffArea, changes_of, listed_by_id

USERS = listed_by_id("users", UserId)
OUTBOX = Listing(name="outbox", load=UUID, dump=str)


class AdminUsersController(StaffArea):
    path = "/admin/users"

    @get(
        "/", operation_id="listUsers", responses=problems(NotAllowed), summary="Accounts, newest first (admin, support)"
    )
    async def list_users(
        self,
        request: ApiRequest,
        identity: Identity,
        role: Annotated[Role | None, QueryParameter()] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=100, pattern=LINE_PATTERN, description="Text in email, phone or name")
        ] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> UserPage:
        pager = request.cursors.pager(USERS, cursor)
        page = await identity.list_users(
            ListUsersQuery(
                actor=request.actor,
                user_filter=UserFilter(role=role, is_active=is_active, text=q),
                after=pager.after,
                limit=limit,
            )
        )
        return pager.respond(UserPage, page, UserResponse.of)

    @patch(
        "/{user_id:uuid}",
        operation_id="changeUserAccess",
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Change role or status (admin; support)",
    )
    async def change_access(
        self, user_id: FromPath[UserId], data: JSONBody[UserAccessUpdate], request: ApiRequest, identity: Identity
    ) -> UserResponse:
        user = await identity.change_user_access(
            ChangeUserAccessCommand(
                actor=request.actor, user_id=user_id, request_id=request.request_id, **changes_of(data)
            )
        )
        return UserResponse.of(user)


class AdminOutboxController(StaffArea):
    path = "/admin/outbox"

    @get(
        "/",
        operation_id="listOutbox",
        responses=problems(NotAllowed),
        summary="Notification outbox, newest first (admin, support)",
    )
    async def list_outbox(
        self,
        request: ApiRequest,
        identity: Identity,
        recipient: Annotated[str | None, QueryParameter(max_length=254, pattern=LINE_PATTERN)] = None,
        kind: Annotated[str | None, QueryParameter(max_length=64, pattern=LINE_PATTERN)] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> OutboxPage:
        pager = request.cursors.pager(OUTBOX, cursor)
        page = await identity.list_outbox(
            ListOutboxQuery(actor=request.actor, recipient=recipient, kind=kind, after=pager.after, limit=limit)
        )
        return pager.respond(OutboxPage, page, OutboxMessageResponse.of)
