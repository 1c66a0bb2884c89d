"""ORM tables. Mapped to and from domain objects by the repositories; never leave ``adapters``."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import MetaData

metadata: MetaData = UUIDv7AuditBase.metadata

__all__ = ["metadata"]
