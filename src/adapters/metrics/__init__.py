"""Prometheus metrics."""

from adapters.metrics.prometheus import PrometheusAuthMetrics

__all__ = ["PrometheusAuthMetrics"]
