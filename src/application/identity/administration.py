"""Use cases of platform staff: list accounts, change their role or status, read the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from uuid import UUID

from application.audit.staff_action import StaffAction
from application.identity.credentials import CredentialLookup
from application.identity.policies import check_access_change, require_staff
from application.pagination import Page, PageRequest
from application.ports import Clock, CredentialRecord, OutboxMessage, UnitOfWork, UserFilter
from application.use_case import use_case
from domain.audit import AuditAction, AuditEvent, SubjectType
from domain.errors import NotFound
from domain.identity.roles import Actor, Role, UserId
from domain.identity.users import User

UserPage = Page[User, UserId]


@dataclass(frozen=True, slots=True)
class ListUsersQuery(PageRequest[UserId]):
    actor: Actor
    user_filter: UserFilter


@use_case
class ListUsers:
    """Staff browse accounts, newest first, a keyset page at a time."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: ListUsersQuery) -> UserPage:
        require_staff(query.actor)
        async with self.unit_of_work() as uow:
            rows = await uow.users.list(query.user_filter, after=query.after, limit=query.size + 1)
        return query.page(rows, lambda user: user.id)


@dataclass(frozen=True, slots=True)
class ChangeUserAccessCommand(StaffAction):
    user_id: UserId
    role: Role | None = None
    is_active: bool | None = None


@use_case
class ChangeUserAccess:
    """Change an account's role or status (see ``policies.check_access_change`` for who may).

    Deactivation ends every session of the account. Either change moves the
    credentials version on, so the account's existing tokens stop working at
    once, and evicts its cached credentials. A role change and a status change
    are staff actions: each one that actually changes the account leaves one
    audit event (``user.role_changed``, ``user.status_changed``) in the same
    transaction.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup

    async def __call__(self, command: ChangeUserAccessCommand) -> User:
        require_staff(command.actor)
        async with self.unit_of_work() as uow:
            user = await uow.users.get(command.user_id, for_update=True)
            if user is None:
                raise NotFound("no such account")
            check_access_change(command.actor, user, role=command.role, is_active=command.is_active)
            now = self.clock.now()
            events: list[AuditEvent] = []
            if command.role is not None and command.role is not user.role:
                events.append(
                    command.audit_event(
                        AuditAction.USER_ROLE_CHANGED,
                        SubjectType.USER,
                        user.id,
                        before={"role": user.role},
                        after={"role": command.role},
                        now=now,
                    )
                )
            if command.is_active is not None and command.is_active is not user.is_active:
                events.append(
                    command.audit_event(
                        AuditAction.USER_STATUS_CHANGED,
                        SubjectType.USER,
                        user.id,
                        before={"status": _status(user.is_active)},
                        after={"status": _status(command.is_active)},
                        now=now,
                    )
                )
            if command.role is not None:
                user.change_role(command.role, now)
            if command.is_active is True:
                user.activate(now)
            elif command.is_active is False:
                user.deactivate(now)
                await uow.refresh_tokens.revoke_all_of_user(user.id, now)
            await uow.users.save(user)
            for event in events:
                await uow.audit.record(event)
            await uow.commit()
        await self.credentials.forget(CredentialRecord.of(user))
        return user


def _status(is_active: bool) -> str:
    return "active" if is_active else "inactive"


@dataclass(frozen=True, slots=True)
class ListOutboxQuery(PageRequest[UUID]):
    actor: Actor
    recipient: str | None = None
    kind: str | None = None
    limit: int = field(default=50, kw_only=True)


OutboxPage = Page[OutboxMessage, UUID]


MASKED = "••••••"
SECRET_PAYLOAD_KEYS = frozenset({"code"})


def masked(message: OutboxMessage) -> OutboxMessage:
    """The message with its secrets (activation codes) replaced: staff see that a code went out, not which."""
    if not SECRET_PAYLOAD_KEYS & message.payload.keys():
        return message
    payload = {key: MASKED if key in SECRET_PAYLOAD_KEYS else value for key, value in message.payload.items()}
    return replace(message, payload=payload)


@use_case
class ListOutbox:
    """Staff read the notification outbox (what was, or will be, sent to whom).

    Activation codes are masked for every reader (a support agent could
    otherwise activate any account); only a development setup
    (``reveal_codes``) shows them, for local testing.
    """

    unit_of_work: Callable[[], UnitOfWork]
    reveal_codes: bool = False

    async def __call__(self, query: ListOutboxQuery) -> OutboxPage:
        require_staff(query.actor)
        recipient = query.recipient.strip().lower() if query.recipient else None
        async with self.unit_of_work() as uow:
            rows = await uow.outbox.list(recipient=recipient, kind=query.kind, after=query.after, limit=query.size + 1)
        if not self.reveal_codes:
            rows = [masked(message) for message in rows]
        return query.page(rows, lambda message: message.id)
