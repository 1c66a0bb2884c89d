"""Ports: the Protocols that adapters implement and use cases depend on."""

from application.ports.dependency_probe import DependencyProbe
from application.ports.unit_of_work import UnitOfWork

__all__ = ["DependencyProbe", "UnitOfWork"]
