"""HTTP clients on the app, running in the test's own event loop.

Litestar's test clients run the app through a blocking portal on another
thread's loop; ours does not, so a test can also reach the app's container
(to create an admin, or count SQL statements) without crossing loops. The
test owns the container, so the app's lifespan has nothing to start.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from litestar import Litestar

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings


class AppClient(httpx.AsyncClient):
    def __init__(self, app: Litestar) -> None:
        super().__init__(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]  # Litestar types its ASGI scope narrower
            base_url="http://testserver.local",
        )
        self.app = app


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[AppClient]:
    container = Container.create(settings)
    try:
        async with AppClient(create_app(container=container)) as client:
            yield client
    finally:
        await container.close()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AppClient]:
    async with app_client(settings) as test_client:
        yield test_client
