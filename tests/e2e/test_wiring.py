"""How every route gets its objects: one dependency per batch, callers checked before anything runs."""

import re
import uuid
from dataclasses import fields

from litestar import Litestar
from litestar.routes import HTTPRoute

from entrypoints.container import Container
from entrypoints.http.dependencies import provider_dependencies
from entrypoints.http.shared import BEARER


def handlers_of(app: Litestar):
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (handler, kwargs_model) in route.route_handler_map.items():
                yield route.path, method, handler, kwargs_model


def test_no_route_resolves_its_dependencies_in_a_task_group(client):
    """Litestar runs any dependency batch of more than one member in an anyio task group (per request)."""
    crowded = {
        f"{method} {path}": sorted(dependency.key for dependency in batch)
        for path, method, _, kwargs_model in handlers_of(client.app)
        for batch in kwargs_model.dependency_batches
        if len(batch) > 1
    }
    assert crowded == {}
    assert any(kwargs_model.dependency_batches for *_, kwargs_model in handlers_of(client.app))


async def test_every_route_that_declares_bearer_security_refuses_an_anonymous_caller(client):
    # OPTIONS (Litestar's own, listing a path's methods) inherits the controller's security but needs no token.
    routes = handlers_of(client.app)
    guarded = [
        (path, method) for path, method, handler, _ in routes if handler.resolve_security() and method != "OPTIONS"
    ]
    assert len(guarded) > 20
    for path, method in guarded:
        concrete = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        response = await client.request(method, concrete, json={})
        assert response.status_code == 401, f"{method} {path}"
        assert response.json()["type"] == "urn:commerce:problem:authentication_failed"
        assert response.headers["www-authenticate"] == 'Bearer realm="commerce"'


def test_routes_without_bearer_security_are_public(client):
    routes = list(handlers_of(client.app))
    public = {f"{method} {path}" for path, method, handler, _ in routes if not handler.resolve_security()}
    assert "GET /api/v1/products" in public
    assert "POST /api/v1/auth/login" in public
    assert all(handler.resolve_security() in ([], BEARER) for _, _, handler, _ in routes)


def test_each_provider_of_the_container_is_one_dependency_and_handlers_ask_for_no_other(client):
    providers = {field.name for field in fields(Container)} - {"adapters"}
    expected = {"operations", "identity", "catalog", "support", "ordering", "jobs"}
    assert set(provider_dependencies()) == providers == expected
    asked = {
        dependency.key
        for *_, kwargs_model in handlers_of(client.app)
        for batch in kwargs_model.dependency_batches
        for dependency in batch
    }
    assert asked == providers - {"jobs"}  # the batch jobs' provider serves the CLI and the worker only
