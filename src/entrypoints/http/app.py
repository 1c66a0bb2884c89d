"""The Litestar application factory (``uvicorn entrypoints.http.app:create_app --factory``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig

from entrypoints.collector import settle_after_startup
from entrypoints.container import Container
from entrypoints.engines import RunningEngines, start_engines
from entrypoints.http.catalog.imports import imports_controller
from entrypoints.http.catalog.merchants import MerchantProductsController, MerchantsController, MerchantStaffController
from entrypoints.http.catalog.public import CategoriesController, ProductsController
from entrypoints.http.catalog.staff_area import (
    AdminCategoriesController,
    AdminMerchantsController,
    AdminProductsController,
)
from entrypoints.http.contract import ClosedRequestBodies, allow_every_method_of_a_path, document_problems
from entrypoints.http.dependencies import ApiRequest, authenticate_bearer_routes, provider_dependencies
from entrypoints.http.docs import docs_assets_router, openapi_config
from entrypoints.http.health import HealthController
from entrypoints.http.hygiene import security_headers_middleware
from entrypoints.http.identity.admin import AdminOutboxController, AdminUsersController
from entrypoints.http.identity.auth import AuthController
from entrypoints.http.identity.me import MeController
from entrypoints.http.metrics import MetricsController
from entrypoints.http.ordering.customer import CartController, CheckoutsController, OrdersController
from entrypoints.http.ordering.staff_area import AdminMerchantTermsController, AdminOrdersController
from entrypoints.http.ordering.stores import MerchantOrdersController
from entrypoints.http.problems import EXCEPTION_HANDLERS
from entrypoints.http.rate_limits import enforce_rate_limits
from entrypoints.http.request_context import request_context_middleware
from entrypoints.http.shared import Cursors
from entrypoints.http.support.staff import AuditController, SupportStatsController
from entrypoints.http.support.tickets import TicketsController
from entrypoints.observability import configure_logging
from entrypoints.settings import Environment, Settings, load_settings

API_PREFIX = "/api/v1"
MAX_REQUEST_BODY = 1024 * 1024  # 1 MiB: no request of this API needs more


async def admit_request(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app's one guard: the Bearer check, then the route's rate limits.

    In this order: per-account limits count the authenticated caller. One guard, not two: Litestar
    copies the route handler for every guard it calls, on every request.
    """
    await authenticate_bearer_routes(connection, handler)
    await enforce_rate_limits(connection, handler)


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    """The HTTP app. With a ``container``, the caller owns its adapters' lifecycle (tests, embedding)."""
    settings = container.settings if container is not None else (settings or load_settings())
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if container is not None:
            yield
            return
        # `commerce serve` resolves the URLs before the workers start; a bare
        # `uvicorn --factory` run without URLs starts (or attaches to) the embedded engines.
        engines: RunningEngines = await asyncio.to_thread(start_engines, settings)
        own_container = Container.create(engines.settings)
        app.state.container = own_container
        settle_after_startup()
        try:
            yield
        finally:
            await own_container.close()
            await asyncio.to_thread(engines.stop)

    api = Router(
        path=API_PREFIX,
        route_handlers=[
            AuthController,
            MeController,
            AdminUsersController,
            AdminOutboxController,
            MerchantsController,
            MerchantStaffController,
            MerchantProductsController,
            imports_controller(settings.import_max_bytes),
            AdminMerchantsController,
            AdminCategoriesController,
            AdminProductsController,
            CategoriesController,
            ProductsController,
            TicketsController,
            SupportStatsController,
            AuditController,
            CartController,
            CheckoutsController,
            OrdersController,
            MerchantOrdersController,
            AdminOrdersController,
            AdminMerchantTermsController,
        ],
    )
    prometheus = PrometheusConfig(
        app_name="commerce",
        prefix="commerce",
        group_path=True,
        exclude=["/metrics", "/schema"],
    )
    app = Litestar(
        route_handlers=[HealthController, MetricsController, api, docs_assets_router()],
        middleware=[prometheus.middleware],
        dependencies=provider_dependencies(),
        guards=[admit_request],
        request_class=ApiRequest,
        plugins=[ClosedRequestBodies()],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        openapi_config=openapi_config(
            title="commerce",
            version="0.1.0",
            description="API-first marketplace backend. Errors are RFC 9457 problem details.",
        ),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        logging_config=None,
        request_max_body_size=MAX_REQUEST_BODY,
        debug=False,
    )
    app.state.cursors = Cursors(settings.secret_key)
    app.state.metrics_token = settings.metrics_token
    document_problems(app)
    allow_every_method_of_a_path(app)
    if container is not None:
        app.state.container = container
    # Wrapped around the whole ASGI handler (like CORS), not per route, so that
    # router-level errors such as 404 and 405 also carry the request id and are logged.
    app.asgi_handler = request_context_middleware(
        security_headers_middleware(app.asgi_handler, hsts=settings.env is Environment.PRODUCTION)
    )
    return app
