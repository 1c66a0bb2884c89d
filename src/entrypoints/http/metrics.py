"""Prometheus metrics, documented like every other operation."""

from __future__ import annotations

from litestar import Response, get
from litestar.plugins.prometheus import PrometheusController


class MetricsController(PrometheusController):
    tags = ["operations"]

    @get(
        operation_id="metrics",
        summary="Prometheus metrics, in the text exposition format",
        media_type="text/plain",
        cache=False,
    )
    async def get(self) -> Response[bytes]:
        response: Response[bytes] = await PrometheusController.get.fn(self)
        return response
