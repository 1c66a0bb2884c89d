"""Prometheus metrics, documented like every other operation; behind a token when one is set."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request, Response, get
from litestar.plugins.prometheus import PrometheusController

from domain.errors import AuthenticationFailed
from entrypoints.http.contract import problems


class MetricsController(PrometheusController):
    tags = ["operations"]

    @get(
        operation_id="metrics",
        summary="Prometheus metrics, in the text exposition format",
        description="When `COMMERCE_METRICS_TOKEN` is set, only `Authorization: Bearer <that token>` may read them.",
        media_type="text/plain",
        cache=False,
        responses=problems(AuthenticationFailed),
    )
    async def get(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        expected: str | None = request.app.state.metrics_token
        if expected is not None:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
                raise AuthenticationFailed("the metrics need the metrics token (Authorization: Bearer <token>)")
        response: Response[bytes] = await PrometheusController.get.fn(self)
        return response
