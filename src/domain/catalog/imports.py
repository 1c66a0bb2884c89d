"""Catalog imports requested over the API: a stored CSV file, processed later by a worker under a lease."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue
from domain.identity.roles import Actor

CatalogImportId = NewType("CatalogImportId", UUID)

MAX_ATTEMPTS = 3
"""A file whose processing crashed this many times is failed rather than claimed again."""


class ImportStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RowError:
    """One line of an import's error report: where (line, column) and why."""

    line: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


@dataclass(slots=True)
class CatalogImport:
    """An uploaded file waiting for, in, or past processing.

    A worker claims it for a lease; a worker that dies leaves the lease to
    expire and the next claim takes the file again (``attempts`` counts the
    claims). Processing is an idempotent upsert, so a retried file changes
    only what the crashed attempt did not.
    """

    id: CatalogImportId
    merchant_id: MerchantId
    requested_by: Actor
    file_name: str
    size: int
    status: ImportStatus
    created_at: datetime
    updated_at: datetime
    attempts: int = 0
    claimed_until: datetime | None = None
    counts: ImportCounts = field(default_factory=ImportCounts)
    errors: tuple[RowError, ...] = ()
    failure: str | None = None
    finished_at: datetime | None = None

    @classmethod
    def request(
        cls,
        *,
        id: CatalogImportId,
        merchant_id: MerchantId,
        requested_by: Actor,
        file_name: str,
        size: int,
        now: datetime,
    ) -> CatalogImport:
        if size == 0:
            raise InvalidValue("the file is empty", field="file", rule="empty")
        name = file_name.strip()[:200] or "upload.csv"
        return cls(
            id=id,
            merchant_id=merchant_id,
            requested_by=requested_by,
            file_name=name,
            size=size,
            status=ImportStatus.PENDING,
            created_at=now,
            updated_at=now,
        )

    def claimed(self, now: datetime, lease: timedelta) -> None:
        self.status = ImportStatus.RUNNING
        self.attempts += 1
        self.claimed_until = now + lease
        self.updated_at = now

    def finish(self, counts: ImportCounts, errors: tuple[RowError, ...], now: datetime) -> None:
        self.status = ImportStatus.DONE
        self.counts = counts
        self.errors = errors
        self.claimed_until = None
        self.finished_at = self.updated_at = now

    def fail(self, reason: str, now: datetime) -> None:
        self.status = ImportStatus.FAILED
        self.failure = reason[:500]
        self.claimed_until = None
        self.finished_at = self.updated_at = now
