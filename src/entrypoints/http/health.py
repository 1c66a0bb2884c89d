"""Liveness and readiness, outside the versioned API."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Literal

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.dependencies import Operations
from entrypoints.http.problems import PROBLEM_JSON, problem, problem_type


class Health(msgspec.Struct, frozen=True):
    status: str


class ReadinessReport(msgspec.Struct, frozen=True):
    """``ready``; or ``degraded``: Redis is away and the API answers from PostgreSQL, more slowly."""

    status: Literal["ready", "degraded"]
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
        summary="Ready to serve: 200 ready, or degraded while Redis is away; 503 while PostgreSQL is",
        cache=False,
        responses={
            200: ResponseSpec(
                data_container=ReadinessReport,
                generate_examples=False,
                description="Ready; or `degraded`: Redis is unreachable and the API answers from PostgreSQL.",
            ),
            503: ResponseSpec(
                data_container=ReadinessProblem,
                generate_examples=False,
                media_type=PROBLEM_JSON,
                description="PostgreSQL is unreachable (`not_ready`); `unreachable` names it.",
            ),
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
            ReadinessReport(
                status="degraded" if readiness.is_degraded else "ready",
                reachable=list(readiness.reachable),
                unreachable=list(readiness.unreachable),
            ),
            status_code=HTTPStatus.OK,
        )
