"""Prometheus metrics."""

from adapters.metrics.prometheus import PrometheusAuthMetrics, sql_statement_counter

__all__ = ["PrometheusAuthMetrics", "sql_statement_counter"]
