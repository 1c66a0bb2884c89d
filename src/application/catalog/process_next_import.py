"""Use case: a worker claims one uploaded catalog file and imports it with ``ImportCatalog``."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from application.catalog.import_catalog import ImportCatalog, ImportCatalogCommand
from application.ports import Clock, UnitOfWork
from application.use_case import use_case
from domain.catalog.imports import MAX_ATTEMPTS, CatalogImport, RowError
from domain.errors import DomainError

MAX_STORED_ERRORS = 10_000
"""The report keeps this many rejected rows; the counts stay exact beyond it."""


class LeaseLost(Exception):
    """Another worker took the file over (this one stalled past its lease): stop, it finishes the work."""


@dataclass(slots=True)
class _ErrorList:
    errors: list[RowError] = field(default_factory=list)

    def reject(self, error: RowError) -> None:
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)


@use_case
class ProcessNextImport:
    """Claim the oldest waiting import and run it; the import processed, or None when none waits.

    Rules:
    - a claim is a lease (``lease``), taken with ``FOR UPDATE SKIP LOCKED`` so
      that two workers never take the same file; it is renewed after every
      batch, so only a worker that died (or stalled) loses it;
    - an import whose lease expired is claimed again, and the file is run again
      from the start: the upsert by SKU makes the batches already done
      unchanged, so the effect happens once; the counts are those of the run
      that finishes;
    - after ``MAX_ATTEMPTS`` claims the import is failed instead;
    - a file that is not UTF-8, or a requester no longer allowed, fails the
      import with the reason; any other error leaves the lease to expire, so
      the import is retried;
    - only the worker still holding the claim records the outcome.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    import_catalog: ImportCatalog
    lease: timedelta = timedelta(minutes=2)

    async def __call__(self) -> CatalogImport | None:
        async with self.unit_of_work() as uow:
            catalog_import = await uow.catalog_imports.claim_next(self.clock.now(), self.lease)
            if catalog_import is None:
                return None
            content = await uow.catalog_imports.content(catalog_import.id)
            await uow.commit()
        if catalog_import.attempts > MAX_ATTEMPTS:
            catalog_import.fail(f"processing stopped {MAX_ATTEMPTS} times", self.clock.now())
            await self._settle(catalog_import)
            return catalog_import
        report = _ErrorList()

        async def renew_lease(_rows: int) -> None:
            async with self.unit_of_work() as uow:
                until = self.clock.now() + self.lease
                if not await uow.catalog_imports.extend_lease(catalog_import.id, catalog_import.attempts, until):
                    raise LeaseLost(str(catalog_import.id))
                await uow.commit()

        command = ImportCatalogCommand(
            actor=catalog_import.requested_by,
            merchant_id=catalog_import.merchant_id,
            lines=io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline=""),
            rejected=report,
            progress=renew_lease,
        )
        try:
            outcome = await self.import_catalog(command)
        except LeaseLost:
            return None
        except UnicodeDecodeError:
            catalog_import.fail("the file is not UTF-8 text", self.clock.now())
        except DomainError as error:
            catalog_import.fail(error.message, self.clock.now())
        else:
            catalog_import.finish(outcome.counts, tuple(report.errors), self.clock.now())
        await self._settle(catalog_import)
        return catalog_import

    async def _settle(self, catalog_import: CatalogImport) -> None:
        async with self.unit_of_work() as uow:
            if await uow.catalog_imports.settle(catalog_import):
                await uow.commit()
