"""Catalog files uploaded for import: stored now (202), processed by a worker, followed by their URL."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from application.catalog.catalog_imports import GetCatalogImportQuery, RequestCatalogImportCommand
from domain.catalog.imports import CatalogImportId, ImportStatus
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue, NotFound
from entrypoints.http.contract import LOCATION, problems
from entrypoints.http.dependencies import ApiRequest, Catalog
from entrypoints.http.shared import BEARER, Copied


class ImportCounts(msgspec.Struct):
    created: int
    updated: int
    unchanged: int
    rejected: int


class RejectedRow(msgspec.Struct):
    line: int
    column: str
    message: str


class CatalogImportResponse(Copied):
    """An import: ``pending`` until a worker takes it, ``running``, then ``done`` (with counts) or ``failed``."""

    id: UUID
    merchant_id: UUID
    file_name: str
    size: int
    status: ImportStatus
    attempts: int
    counts: ImportCounts
    errors: list[RejectedRow]
    failure: str | None
    created_at: datetime
    finished_at: datetime | None


class CatalogImportUpload(msgspec.Struct):
    file: UploadFile


def imports_controller(max_bytes: int) -> type[Controller]:
    """The routes, with the upload size limit of this deployment (a bigger body is a 413 before it is read)."""

    class CatalogImportsController(Controller):
        path = "/merchants/{merchant_id:uuid}/imports"
        tags = ["merchant catalog"]
        security = BEARER
        request_max_body_size = max_bytes

        @post(
            "/",
            operation_id="uploadCatalogImport",
            status_code=HTTPStatus.ACCEPTED,
            response_headers=LOCATION,
            responses=problems(NotFound, InvalidValue, HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
            summary="Upload a catalog CSV file to import (processed by a worker)",
            description="multipart/form-data with one part, `file`: UTF-8 CSV with the header "
            "`sku,name,description,price_minor,currency,stock,category_slug,status,images` (any order). "
            "Rows upsert by SKU; follow the import at the Location.",
        )
        async def upload(
            self,
            merchant_id: FromPath[MerchantId],
            data: Annotated[CatalogImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
            request: ApiRequest,
            catalog: Catalog,
        ) -> Response[CatalogImportResponse]:
            content = await data.file.read()
            catalog_import = await catalog.request_catalog_import(
                RequestCatalogImportCommand(
                    actor=request.actor, merchant_id=merchant_id, file_name=data.file.filename, content=content
                )
            )
            location = f"/api/v1/merchants/{merchant_id}/imports/{catalog_import.id}"
            return Response(
                CatalogImportResponse.of(catalog_import),
                status_code=HTTPStatus.ACCEPTED,
                headers={"Location": location},
            )

        @get(
            "/{import_id:uuid}",
            operation_id="getCatalogImport",
            responses=problems(NotFound),
            summary="An import's status, counts and rejected rows",
        )
        async def status(
            self,
            merchant_id: FromPath[MerchantId],
            import_id: FromPath[CatalogImportId],
            request: ApiRequest,
            catalog: Catalog,
        ) -> CatalogImportResponse:
            catalog_import = await catalog.get_catalog_import(
                GetCatalogImportQuery(actor=request.actor, merchant_id=merchant_id, import_id=import_id)
            )
            return CatalogImportResponse.of(catalog_import)

    return CatalogImportsController
