"""Liveness and readiness, outside the versioned API."""

from __future__ import annotations

from http import HTTPStatus

import msgspec
from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.dependencies import Operations


class Health(msgspec.Struct, frozen=True):
    status: str


class ReadinessReport(msgspec.Struct, frozen=True):
    status: str
    reachable: list[str]
    unreachable: list[str]


class HealthController(Controller):
    path = "/"
    tags = ["operations"]

    @get("/health", operation_id="health", summary="The process is alive", cache=False)
    async def health(self) -> Health:
        return Health(status="ok")

    @get(
        "/ready",
        operation_id="readiness",
        summary="PostgreSQL and Redis are reachable",
        cache=False,
        responses={503: ResponseSpec(data_container=ReadinessReport, description="A dependency is unreachable")},
    )
    async def ready(self, operations: Operations) -> Response[ReadinessReport]:
        readiness = await operations.check_readiness()
        report = ReadinessReport(
            status="ready" if readiness.is_ready else "unavailable",
            reachable=list(readiness.reachable),
            unreachable=list(readiness.unreachable),
        )
        status = HTTPStatus.OK if readiness.is_ready else HTTPStatus.SERVICE_UNAVAILABLE
        return Response(report, status_code=status)
