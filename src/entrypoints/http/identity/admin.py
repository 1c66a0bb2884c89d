"""Staff administration of accounts and the notification outbox."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from application.identity.administration import (
    ChangeUserAccess,
    ChangeUserAccessCommand,
    ListOutbox,
    ListOutboxQuery,
    ListUsers,
    ListUsersQuery,
)
from application.ports import UserFilter
from domain.errors import InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role, UserId
from entrypoints.http.contract import problems
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import (
    OutboxMessageResponse,
    OutboxPage,
    UserAccessUpdate,
    UserPage,
    UserResponse,
    unset_to_none,
)

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(max_length=512, description="next_cursor of the previous page")]


class AdminUsersController(Controller):
    path = "/admin/users"
    tags = ["staff"]
    security = BEARER

    @get(
        "/", operation_id="listUsers", responses=problems(NotAllowed), summary="Accounts, newest first (admin, support)"
    )
    async def list_users(
        self,
        actor: NamedDependency[Actor],
        list_users: NamedDependency[ListUsers],
        cursors: NamedDependency[CursorCodec],
        role: Annotated[Role | None, QueryParameter()] = None,
        is_active: Annotated[bool | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, description="Text in email, phone or name")] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> UserPage:
        after = UserId(UUID(cursors.decode("users", cursor)["after"])) if cursor else None
        page = await list_users(
            ListUsersQuery(
                actor=actor,
                user_filter=UserFilter(role=role, is_active=is_active, text=q),
                after=after,
                limit=limit,
            )
        )
        next_cursor = cursors.encode("users", {"after": str(page.last_id)}) if page.last_id else None
        return UserPage(items=[UserResponse.of(user) for user in page.items], next_cursor=next_cursor)

    @patch(
        "/{user_id:uuid}",
        operation_id="changeUserAccess",
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Change role or status (admin; support)",
    )
    async def change_access(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[UserAccessUpdate],
        actor: NamedDependency[Actor],
        change_user_access: NamedDependency[ChangeUserAccess],
    ) -> UserResponse:
        user = await change_user_access(
            ChangeUserAccessCommand(
                actor=actor,
                user_id=UserId(user_id),
                role=unset_to_none(data.role),
                is_active=unset_to_none(data.is_active),
            )
        )
        return UserResponse.of(user)


class AdminOutboxController(Controller):
    path = "/admin/outbox"
    tags = ["staff"]
    security = BEARER

    @get(
        "/",
        operation_id="listOutbox",
        responses=problems(NotAllowed),
        summary="Notification outbox, newest first (admin, support)",
    )
    async def list_outbox(
        self,
        actor: NamedDependency[Actor],
        list_outbox: NamedDependency[ListOutbox],
        cursors: NamedDependency[CursorCodec],
        recipient: Annotated[str | None, QueryParameter(max_length=254)] = None,
        kind: Annotated[str | None, QueryParameter(max_length=64)] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> OutboxPage:
        after = UUID(cursors.decode("outbox", cursor)["after"]) if cursor else None
        page = await list_outbox(ListOutboxQuery(actor=actor, recipient=recipient, kind=kind, after=after, limit=limit))
        next_cursor = cursors.encode("outbox", {"after": str(page.last_id)}) if page.last_id else None
        return OutboxPage(items=[OutboxMessageResponse.of(m) for m in page.items], next_cursor=next_cursor)
