"""Use case: admins read the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from application.pagination import keyset_page
from application.ports import UnitOfWork
from application.ports.audit import AuditFilter, RecordedAuditEvent
from domain.errors import InvalidValue, NotAllowed
from domain.identity.roles import Actor, Role

MAX_PAGE = 100


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise NotAllowed("only admins read the audit trail")


@dataclass(frozen=True, slots=True)
class ListAuditEventsQuery:
    actor: Actor
    audit_filter: AuditFilter = field(default_factory=AuditFilter)
    after: UUID | None = None
    limit: int = 50


@dataclass(frozen=True, slots=True)
class AuditEventPage:
    items: list[RecordedAuditEvent]
    last_id: UUID | None


class ListAuditEvents:
    """Staff actions, newest first, filtered by actor, action, subject and time.

    Rules: admins only (support agents are audited, so they do not read the
    trail: 403). ``from`` is inclusive, ``to`` exclusive.
    """

    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    async def __call__(self, query: ListAuditEventsQuery) -> AuditEventPage:
        require_admin(query.actor)
        for name, moment in (("from", query.audit_filter.occurred_from), ("to", query.audit_filter.occurred_to)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidValue("times need a UTC offset", field=name, rule="aware_datetime")
        limit = max(1, min(query.limit, MAX_PAGE))
        async with self._unit_of_work() as uow:
            rows = await uow.audit.list(query.audit_filter, after=query.after, limit=limit + 1)
        items, last_id = keyset_page(rows, limit, lambda recorded: recorded.id)
        return AuditEventPage(items=items, last_id=last_id)
