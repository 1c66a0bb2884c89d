"""Litestar DI: one dependency per provider of the Container, and the caller behind the Bearer token.

A handler takes at most one provider (``catalog: NamedDependency[CatalogProvider]``) and
reads the caller from ``request.actor``: every dependency batch then holds one member,
so no request pays for an anyio task group to resolve its dependencies (ADR 0007).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, cast

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler

from application.identity.authenticate import Authenticated
from domain.errors import AuthenticationFailed
from domain.identity.roles import Actor
from entrypoints.container import (
    CatalogProvider,
    Container,
    IdentityProvider,
    OperationsProvider,
    OrderingProvider,
    SupportProvider,
)
from entrypoints.http.input import check_body, require_json
from entrypoints.http.shared import Cursors
from entrypoints.observability import request_id_var

Operations = NamedDependency[OperationsProvider]
Identity = NamedDependency[IdentityProvider]
Catalog = NamedDependency[CatalogProvider]
Support = NamedDependency[SupportProvider]
Ordering = NamedDependency[OrderingProvider]


def container_of(state: State) -> Container:
    return cast("Container", state.container)


def _provider(name: str) -> Callable[[State], Any]:
    def provide(state: State) -> Any:
        return getattr(container_of(state), name)

    provide.__name__ = f"provide_{name}"
    return provide


def provider_dependencies() -> dict[str, Provide]:
    """``{"identity": ..., "catalog": ...}``: one per provider field of the Container, never a list of names.

    Litestar checks each value against the handler's annotation, so a handler
    that asks for ``catalog: NamedDependency[IdentityProvider]`` fails loudly.
    """
    return {
        field.name: Provide(_provider(field.name), sync_to_thread=False)
        for field in fields(Container)
        if field.name != "adapters"
    }


async def authenticate_bearer_routes(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """App-wide guard: a route that declares the Bearer security requirement needs a valid access token.

    The token is checked by ``AuthenticateAccessToken`` (signature, expiry,
    denylist, credentials version); the outcome is the connection's ``auth``
    and its actor the connection's ``user`` (``ApiRequest.actor``). Anything
    else is a 401 problem document.
    """
    if not isinstance(handler, HTTPRouteHandler) or not handler.resolve_security():
        return
    if handler.http_methods == {"OPTIONS"}:  # says which methods a path answers, nothing more
        return
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("an access token is required (Authorization: Bearer <token>)")
    authenticated = await container_of(connection.app.state).identity.authenticate(token.strip())
    connection.scope["auth"] = authenticated
    connection.scope["user"] = authenticated.actor


class ApiRequest(Request[Actor, Authenticated, State]):
    """The request as controllers see it: who is calling, and the app's cursor helper."""

    @property
    def actor(self) -> Actor:
        """The authenticated caller; only on routes that declare ``security=BEARER``."""
        return self.user

    async def json(self) -> Any:
        """The body, read only as JSON and checked strictly against the route's type (``input``)."""
        require_json(self)
        check_body(self, await self.body())
        return await super().json()

    @property
    def cursors(self) -> Cursors:
        return cast("Cursors", self.app.state.cursors)

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-ID`` being served (see ``request_context``), for the audit trail of staff actions."""
        return request_id_var.get()
