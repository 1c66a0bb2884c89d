"""Per-route rate limits: a route names its limits in ``opt``; one app-wide guard counts and refuses.

Runs after the Bearer guard, so ``*_per_account`` limits count the
authenticated account and ``*_per_client`` ones the client address (the
socket peer, or the address a trusted proxy names: ``COMMERCE_TRUSTED_PROXIES``).
Each limit costs one Redis round trip; the cached listing path has none.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from domain.identity.roles import Actor
from entrypoints.http.dependencies import container_of

RATE_LIMITS = "rate_limits"
ONLY_WITH_QUERY = "rate_limited_only_with_query"


def limited(*names: str, only_with_query: str | None = None) -> dict[str, Any]:
    """The ``opt=`` of a rate-limited route: names from ``RateLimitTable``; optionally only when a query is given."""
    return {RATE_LIMITS: names} | ({ONLY_WITH_QUERY: only_with_query} if only_with_query else {})


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client is not None else "unknown"


async def enforce_rate_limits(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    names: tuple[str, ...] = handler.opt.get(RATE_LIMITS, ())
    if not names:
        return
    only_with = handler.opt.get(ONLY_WITH_QUERY)
    if only_with is not None and not connection.query_params.get(only_with):
        return
    container = container_of(connection.app.state)
    for name in names:
        rule = container.settings.rate_limits.by_name(name)
        if name.endswith("_per_account"):
            actor = connection.scope.get("user")
            if not isinstance(actor, Actor):
                continue
            subject = str(actor.user_id)
        else:
            subject = client_address(connection)
        await container.operations.enforce_rate_limit(rule, subject)


def is_rate_limited(handler: BaseRouteHandler) -> bool:
    return bool(handler.opt.get(RATE_LIMITS))
