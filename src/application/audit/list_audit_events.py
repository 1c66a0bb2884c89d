"""Use case: admins read the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from application.pagination import Page, PageRequest
from application.ports import UnitOfWork
from application.ports.audit import AuditFilter, RecordedAuditEvent
from application.use_case import use_case
from domain.errors import InvalidValue, NotAllowed
from domain.identity.roles import Actor, Role


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise NotAllowed("only admins read the audit trail")


@dataclass(frozen=True, slots=True)
class ListAuditEventsQuery(PageRequest[UUID]):
    actor: Actor
    audit_filter: AuditFilter = field(default_factory=AuditFilter)
    limit: int = field(default=50, kw_only=True)


AuditEventPage = Page[RecordedAuditEvent, UUID]


@use_case
class ListAuditEvents:
    """Staff actions, newest first, filtered by actor, action, subject and time.

    Rules: admins only (support agents are audited, so they do not read the
    trail: 403). ``from`` is inclusive, ``to`` exclusive.
    """

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: ListAuditEventsQuery) -> AuditEventPage:
        require_admin(query.actor)
        for name, moment in (("from", query.audit_filter.occurred_from), ("to", query.audit_filter.occurred_to)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidValue("times need a UTC offset", field=name, rule="aware_datetime")
        async with self.unit_of_work() as uow:
            rows = await uow.audit.list(query.audit_filter, after=query.after, limit=query.size + 1)
        return query.page(rows, lambda recorded: recorded.id)
