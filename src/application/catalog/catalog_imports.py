"""Use cases: a store's staff upload a catalog file to import later, and follow its progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.ports import Clock, IdGenerator, UnitOfWork
from application.use_case import use_case
from domain.catalog.imports import CatalogImport, CatalogImportId
from domain.catalog.merchants import MerchantId
from domain.errors import NotFound
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class RequestCatalogImportCommand:
    actor: Actor
    merchant_id: MerchantId
    file_name: str
    content: bytes


@use_case
class RequestCatalogImport:
    """Store an uploaded catalog file as a pending import; a worker processes it (``ProcessNextImport``).

    Rules:
    - the store's manager and staff upload; anybody else sees a 404;
    - an empty file is refused (422 on ``file``); the size limit is the
      entrypoint's, which refuses a bigger body before reading it;
    - only the import row is written, in this transaction: nothing here talks
      to a queue, workers find the row themselves.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, command: RequestCatalogImportCommand) -> CatalogImport:
        catalog_import = CatalogImport.request(
            id=CatalogImportId(self.ids.new_id()),
            merchant_id=command.merchant_id,
            requested_by=command.actor,
            file_name=command.file_name,
            size=len(command.content),
            now=self.clock.now(),
        )
        async with self.unit_of_work() as uow:
            await merchant_access(uow, command.actor, command.merchant_id, write=True)
            await uow.catalog_imports.add(catalog_import, command.content)
            await uow.commit()
        return catalog_import


@dataclass(frozen=True, slots=True)
class GetCatalogImportQuery:
    actor: Actor
    merchant_id: MerchantId
    import_id: CatalogImportId


@use_case
class GetCatalogImport:
    """An import's status, counts and error report, for the store's members and platform staff."""

    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, query: GetCatalogImportQuery) -> CatalogImport:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            catalog_import = await uow.catalog_imports.get(query.import_id, merchant_id=query.merchant_id)
        if catalog_import is None:
            raise NotFound("no such import")
        return catalog_import
