"""Platform staff: merchant decisions, the category tree, product moderation."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from msgspec import UNSET

from application.catalog.approve_merchant import ApproveMerchantCommand
from application.catalog.create_category import CreateCategoryCommand
from application.catalog.delete_category import DeleteCategoryCommand
from application.catalog.list_merchants import ListMerchantsQuery
from application.catalog.reinstate_merchant import ReinstateMerchantCommand
from application.catalog.reinstate_product import ReinstateProductCommand
from application.catalog.revise_category import ReviseCategoryCommand
from application.catalog.suspend_merchant import SuspendMerchantCommand
from application.catalog.suspend_product import SuspendProductCommand
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId, MerchantStatus
from domain.catalog.products import ProductId
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from entrypoints.http.catalog.schemas import (
    CategoryCreate,
    CategoryResponse,
    CategoryUpdate,
    MerchantPage,
    MerchantProduct,
    MerchantResponse,
    SuspensionRequest,
)
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.dependencies import ApiRequest, Catalog
from entrypoints.http.shared import Cursor, Limit, StaffArea, listed_by_id, unset_to_none

MERCHANTS = listed_by_id("merchants", MerchantId)


class AdminMerchantsController(StaffArea):
    path = "/admin/merchants"

    @get(
        "/",
        operation_id="listStores",
        responses=problems(NotAllowed),
        summary="Merchants by status, newest first (admin, support)",
    )
    async def list_merchants(
        self,
        request: ApiRequest,
        catalog: Catalog,
        status: Annotated[MerchantStatus | None, QueryParameter()] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> MerchantPage:
        pager = request.cursors.pager(MERCHANTS, cursor)
        page = await catalog.list_merchants(
            ListMerchantsQuery(actor=request.actor, status=status, after=pager.after, limit=limit)
        )
        return pager.respond(MerchantPage, page, MerchantResponse.of)

    @post(
        "/{merchant_id:uuid}/approve",
        operation_id="approveStore",
        responses=problems(NotAllowed, NotFound, Conflict),
        summary="Approve a pending merchant: its applicant becomes its manager",
        status_code=HTTP_200_OK,
    )
    async def approve(
        self, merchant_id: FromPath[MerchantId], request: ApiRequest, catalog: Catalog
    ) -> MerchantResponse:
        merchant = await catalog.approve_merchant(
            ApproveMerchantCommand(actor=request.actor, merchant_id=merchant_id, request_id=request.request_id)
        )
        return MerchantResponse.of(merchant)

    @post(
        "/{merchant_id:uuid}/suspend",
        operation_id="suspendStore",
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Suspend a merchant: its products leave the catalog at once",
        status_code=HTTP_200_OK,
    )
    async def suspend(
        self,
        merchant_id: FromPath[MerchantId],
        data: JSONBody[SuspensionRequest],
        request: ApiRequest,
        catalog: Catalog,
    ) -> MerchantResponse:
        merchant = await catalog.suspend_merchant(
            SuspendMerchantCommand(
                actor=request.actor, merchant_id=merchant_id, reason=data.reason, request_id=request.request_id
            )
        )
        return MerchantResponse.of(merchant)

    @post(
        "/{merchant_id:uuid}/reinstate",
        operation_id="reinstateStore",
        responses=problems(NotAllowed, NotFound, Conflict),
        summary="Reinstate a suspended merchant and list its products again",
        status_code=HTTP_200_OK,
    )
    async def reinstate(
        self, merchant_id: FromPath[MerchantId], request: ApiRequest, catalog: Catalog
    ) -> MerchantResponse:
        merchant = await catalog.reinstate_merchant(
            ReinstateMerchantCommand(actor=request.actor, merchant_id=merchant_id, request_id=request.request_id)
        )
        return MerchantResponse.of(merchant)


class AdminCategoriesController(StaffArea):
    path = "/admin/categories"

    @post(
        "/",
        operation_id="createCategory",
        response_headers=LOCATION,
        responses=problems(NotAllowed, Conflict, InvalidValue),
        summary="Create a category (under a parent, or at the root)",
    )
    async def create(
        self, data: JSONBody[CategoryCreate], request: ApiRequest, catalog: Catalog
    ) -> Response[CategoryResponse]:
        category = await catalog.create_category(
            CreateCategoryCommand(
                actor=request.actor,
                name=data.name,
                slug=data.slug,
                parent_id=CategoryId(data.parent_id) if data.parent_id else None,
            )
        )
        return created(CategoryResponse.of(category), f"/api/v1/admin/categories/{category.id}")

    @patch(
        "/{category_id:uuid}",
        operation_id="updateCategory",
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Rename or move (parent_id null: to the root)",
    )
    async def update(
        self, category_id: FromPath[CategoryId], data: JSONBody[CategoryUpdate], request: ApiRequest, catalog: Catalog
    ) -> CategoryResponse:
        parent = unset_to_none(data.parent_id)
        category = await catalog.revise_category(
            ReviseCategoryCommand(
                actor=request.actor,
                category_id=category_id,
                name=unset_to_none(data.name),
                slug=unset_to_none(data.slug),
                parent_id=CategoryId(parent) if parent else None,
                move_to_root=data.parent_id is None and data.parent_id is not UNSET,
            )
        )
        return CategoryResponse.of(category)

    @delete(
        "/{category_id:uuid}",
        operation_id="deleteCategory",
        responses=problems(NotAllowed, NotFound, Conflict),
        summary="Delete an empty category (no subcategories, no products)",
    )
    async def remove(self, category_id: FromPath[CategoryId], request: ApiRequest, catalog: Catalog) -> None:
        await catalog.delete_category(DeleteCategoryCommand(actor=request.actor, category_id=category_id))


class AdminProductsController(StaffArea):
    path = "/admin/products"

    @post(
        "/{product_id:uuid}/suspend",
        operation_id="suspendProduct",
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Suspend a product: hidden from customers at once",
        status_code=HTTP_200_OK,
    )
    async def suspend(
        self, product_id: FromPath[ProductId], data: JSONBody[SuspensionRequest], request: ApiRequest, catalog: Catalog
    ) -> MerchantProduct:
        product = await catalog.suspend_product(
            SuspendProductCommand(
                actor=request.actor, product_id=product_id, reason=data.reason, request_id=request.request_id
            )
        )
        return MerchantProduct.of(product)

    @post(
        "/{product_id:uuid}/reinstate",
        operation_id="reinstateProduct",
        responses=problems(NotAllowed, NotFound),
        summary="Reinstate a suspended product",
        status_code=HTTP_200_OK,
    )
    async def reinstate(
        self, product_id: FromPath[ProductId], request: ApiRequest, catalog: Catalog
    ) -> MerchantProduct:
        product = await catalog.reinstate_product(
            ReinstateProductCommand(actor=request.actor, product_id=product_id, request_id=request.request_id)
        )
        return MerchantProduct.of(product)
