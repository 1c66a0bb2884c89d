"""The in-memory fake of the catalog-import port: imports and their files, claimed under a lease."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from application.ports import CatalogImportRepository
from domain.catalog.imports import CatalogImport, CatalogImportId, ImportStatus
from domain.catalog.merchants import MerchantId

if TYPE_CHECKING:
    from tests.unit.fakes import FakeUnitOfWork

StoredImports = dict[CatalogImportId, tuple[CatalogImport, bytes]]


class InMemoryCatalogImports(CatalogImportRepository):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _rows(self) -> StoredImports:
        return self._uow.pending.catalog_imports

    async def add(self, catalog_import: CatalogImport, content: bytes) -> None:
        self._rows[catalog_import.id] = (replace(catalog_import), content)

    async def get(self, import_id: CatalogImportId, *, merchant_id: MerchantId) -> CatalogImport | None:
        stored = self._rows.get(import_id)
        if stored is None or stored[0].merchant_id != merchant_id:
            return None
        return replace(stored[0])

    async def content(self, import_id: CatalogImportId) -> bytes:
        return self._rows[import_id][1]

    async def claim_next(self, now: datetime, lease: timedelta) -> CatalogImport | None:
        for import_id in sorted(self._rows):
            catalog_import, content = self._rows[import_id]
            expired = catalog_import.claimed_until is not None and catalog_import.claimed_until < now
            if catalog_import.status is ImportStatus.PENDING or (
                catalog_import.status is ImportStatus.RUNNING and expired
            ):
                claimed = replace(catalog_import)
                claimed.claimed(now, lease)
                self._rows[import_id] = (claimed, content)
                return replace(claimed)
        return None

    async def extend_lease(self, import_id: CatalogImportId, attempt: int, until: datetime) -> bool:
        catalog_import, content = self._rows[import_id]
        if catalog_import.attempts != attempt or catalog_import.status is not ImportStatus.RUNNING:
            return False
        self._rows[import_id] = (replace(catalog_import, claimed_until=until), content)
        return True

    async def settle(self, catalog_import: CatalogImport) -> bool:
        stored, content = self._rows[catalog_import.id]
        if stored.attempts != catalog_import.attempts or stored.status is not ImportStatus.RUNNING:
            return False
        self._rows[catalog_import.id] = (replace(catalog_import), content)
        return True
