"""Who may do what to accounts. Decided here, so HTTP, the CLI and the jobs share one rule."""

from __future__ import annotations

from uuid import UUID

from domain.errors import NotAllowed
from domain.identity.roles import Actor, Role, UserId
from domain.identity.users import User

OPERATOR = Actor(user_id=UserId(UUID(int=0)), role=Role.ADMIN)
"""The actor of commands run by an operator on the server itself (the ``commerce`` CLI)."""


def require_staff(actor: Actor) -> None:
    if not actor.role.is_staff:
        raise NotAllowed("only platform staff may do this")


def require_admin(actor: Actor, *, action: str) -> None:
    """Decisions with business or money consequences are administrators' alone (docs/authorization.md)."""
    if actor.role is not Role.ADMIN:
        raise NotAllowed(f"only administrators may {action}")


def check_access_change(actor: Actor, target: User, *, role: Role | None, is_active: bool | None) -> None:
    """Admins change roles and status; support may only deactivate customers; nobody locks themselves out."""
    if actor.role is Role.ADMIN:
        if target.id == actor.user_id and (is_active is False or (role is not None and role is not Role.ADMIN)):
            raise NotAllowed("admins cannot deactivate or demote themselves")
        return
    if actor.role is Role.SUPPORT:
        if role is not None and role is not target.role:
            raise NotAllowed("support agents cannot change roles")
        if is_active is True and not target.is_active:
            raise NotAllowed("support agents cannot reactivate accounts")
        if target.role is not Role.CUSTOMER:
            raise NotAllowed("support agents may only deactivate customers")
        return
    raise NotAllowed("only platform staff may change accounts")
