"""Liveness and readiness, outside the versioned API."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.dependencies import Operations
from entrypoints.http.problems import PROBLEM_JSON, problem, problem_type


class Health(msgspec.Struct, frozen=True):
    status: str


class ReadinessReport(msgspec.Struct, frozen=True):
    status: str
    reachable: list[str]
    unreachable: list[str]


class ReadinessProblem(msgspec.Struct, frozen=True, kw_only=True):
    """The problem document of a 503 from /ready, with what could and could not be reached."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    reachable: list[str]
    unreachable: list[str]


NOT_READY = "not_ready"


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
        responses={
            503: ResponseSpec(
                data_container=ReadinessProblem,
                generate_examples=False,
                media_type=PROBLEM_JSON,
                description="A dependency is unreachable (`not_ready`); `unreachable` names it.",
            )
        },
    )
    async def ready(self, request: Request[Any, Any, Any], operations: Operations) -> Response[Any]:
        readiness = await operations.check_readiness()
        if not readiness.is_ready:
            return problem(
                request,
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"not ready: {', '.join(readiness.unreachable)} unreachable",
                type_=problem_type(NOT_READY),
                code=NOT_READY,
                reachable=list(readiness.reachable),
                unreachable=list(readiness.unreachable),
            )
        return Response(
            ReadinessReport(status="ready", reachable=list(readiness.reachable), unreachable=[]),
            status_code=HTTPStatus.OK,
        )
