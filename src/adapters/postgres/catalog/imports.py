"""Uploaded catalog files, claimed by workers under a lease with ``FOR UPDATE SKIP LOCKED``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import undefer

from adapters.postgres.repository import SqlaRepository
from adapters.postgres.tables import CatalogImportRow
from application.ports import CatalogImportRepository
from domain.catalog.imports import CatalogImport, CatalogImportId, ImportCounts, ImportStatus, RowError
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor, Role, UserId


def _catalog_import(row: CatalogImportRow) -> CatalogImport:
    return CatalogImport(
        id=CatalogImportId(row.id),
        merchant_id=MerchantId(row.merchant_id),
        requested_by=Actor(user_id=UserId(row.requested_by), role=Role(row.requester_role)),
        file_name=row.file_name,
        size=row.size,
        status=ImportStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        attempts=row.attempts,
        claimed_until=row.claimed_until,
        counts=ImportCounts(row.created, row.updated, row.unchanged, row.rejected),
        errors=tuple(RowError(e["line"], e["column"], e["message"]) for e in row.errors),
        failure=row.failure,
        finished_at=row.finished_at,
    )


def _outcome(catalog_import: CatalogImport) -> dict[str, object]:
    counts = catalog_import.counts
    return {
        "status": catalog_import.status.value,
        "claimed_until": catalog_import.claimed_until,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "rejected": counts.rejected,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in catalog_import.errors],
        "failure": catalog_import.failure,
        "finished_at": catalog_import.finished_at,
        "updated_at": catalog_import.updated_at,
    }


class SqlaCatalogImportRepository(SqlaRepository[CatalogImportRow], CatalogImportRepository):
    row_type = CatalogImportRow

    async def add(self, catalog_import: CatalogImport, content: bytes) -> None:
        await self._add(
            CatalogImportRow(
                id=catalog_import.id,
                merchant_id=catalog_import.merchant_id,
                requested_by=catalog_import.requested_by.user_id,
                requester_role=catalog_import.requested_by.role.value,
                file_name=catalog_import.file_name,
                size=catalog_import.size,
                content=content,
                attempts=catalog_import.attempts,
                created_at=catalog_import.created_at,
                **_outcome(catalog_import),
            )
        )

    async def get(self, import_id: CatalogImportId, *, merchant_id: MerchantId) -> CatalogImport | None:
        row = await self._one(id=import_id, merchant_id=merchant_id)
        return _catalog_import(row) if row is not None else None

    async def content(self, import_id: CatalogImportId) -> bytes:
        content = await self._session.scalar(
            select(CatalogImportRow.content).where(CatalogImportRow.id == import_id).options(undefer("*"))
        )
        if content is None:
            raise LookupError(f"catalog import {import_id} has no content")
        return bytes(content)

    async def claim_next(self, now: datetime, lease: timedelta) -> CatalogImport | None:
        waiting = (
            select(CatalogImportRow.id)
            .where(
                or_(
                    CatalogImportRow.status == ImportStatus.PENDING.value,
                    (CatalogImportRow.status == ImportStatus.RUNNING.value) & (CatalogImportRow.claimed_until < now),
                )
            )
            .order_by(CatalogImportRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        row = await self._session.scalar(
            update(CatalogImportRow)
            .where(CatalogImportRow.id == waiting)
            .values(
                status=ImportStatus.RUNNING.value,
                attempts=CatalogImportRow.attempts + 1,
                claimed_until=now + lease,
                updated_at=now,
            )
            .returning(CatalogImportRow)
            .execution_options(populate_existing=True)
        )
        return _catalog_import(row) if row is not None else None

    async def extend_lease(self, import_id: CatalogImportId, attempt: int, until: datetime) -> bool:
        extended = await self._session.scalar(
            update(CatalogImportRow)
            .where(
                CatalogImportRow.id == import_id,
                CatalogImportRow.attempts == attempt,
                CatalogImportRow.status == ImportStatus.RUNNING.value,
            )
            .values(claimed_until=until)
            .returning(CatalogImportRow.id)
        )
        return extended is not None

    async def settle(self, catalog_import: CatalogImport) -> bool:
        settled = await self._session.scalar(
            update(CatalogImportRow)
            .where(
                CatalogImportRow.id == catalog_import.id,
                CatalogImportRow.attempts == catalog_import.attempts,
                CatalogImportRow.status == ImportStatus.RUNNING.value,
            )
            .values(**_outcome(catalog_import))
            .returning(CatalogImportRow.id)
        )
        return settled is not None
