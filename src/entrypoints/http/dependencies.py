"""Litestar DI: hands the controllers their use cases and the authenticated actor."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from application.identity.authenticate import Authenticated
from domain.errors import AuthenticationFailed
from domain.identity.roles import Actor
from entrypoints.container import Container
from entrypoints.observability import request_id_var


def container_of(state: State) -> Container:
    container: Container = state.container
    return container


def _use_case(attribute: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(container_of(state), attribute)

    provide.__name__ = f"provide_{attribute}"
    return Provide(provide, sync_to_thread=False)


async def provide_authenticated(request: Request[Any, Any, Any], state: State) -> Authenticated:
    """The caller behind ``Authorization: Bearer <access token>``, or a 401."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("an access token is required (Authorization: Bearer <token>)")
    return await container_of(state).authenticate(token.strip())


def provide_actor(authenticated: NamedDependency[Authenticated]) -> Actor:
    return authenticated.actor


USE_CASES = (
    "check_readiness",
    "sign_up",
    "activate_account",
    "request_activation_code",
    "log_in",
    "refresh_session",
    "log_out",
    "get_my_profile",
    "update_my_profile",
    "change_password",
    "list_users",
    "change_user_access",
    "list_outbox",
    "apply_for_merchant",
    "decide_on_merchant",
    "list_merchants",
    "get_merchant_profile",
    "add_store_staff",
    "list_store_staff",
    "remove_store_staff",
    "manage_categories",
    "manage_products",
    "moderate_products",
    "browse_products",
    "get_public_product",
    "catalog_cache",
    "cursors",
    "open_ticket",
    "list_tickets",
    "get_ticket",
    "post_ticket_message",
    "update_ticket",
    "support_stats",
    "list_audit_events",
)


def provide_request_id() -> str | None:
    """The id of the request being served (``X-Request-ID``), for the audit trail of staff actions."""
    return request_id_var.get()


DEPENDENCIES: dict[str, Provide] = {
    **{name: _use_case(name) for name in USE_CASES},
    "authenticated": Provide(provide_authenticated),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "request_id": Provide(provide_request_id, sync_to_thread=False),
}
