"""Merchant applications, public profiles, merchant staff and the merchant's own catalog."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from application.catalog.apply_for_merchant import ApplyForMerchantCommand
from application.catalog.archive_product import ArchiveProductCommand
from application.catalog.create_product import CreateProductCommand, PriceInput
from application.catalog.get_merchant_product import GetMerchantProductQuery
from application.catalog.list_merchant_products import MerchantProductsQuery
from application.catalog.move_stock import MoveStockCommand
from application.catalog.revise_product import ReviseProductCommand
from application.catalog.staff import (
    AddStaffCommand,
    RemoveStaffCommand,
)
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId, ProductStatus
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import UserId
from entrypoints.http.catalog.schemas import (
    MerchantApplication,
    MerchantProduct,
    MerchantProductPage,
    MerchantProfile,
    MerchantResponse,
    ProductCreate,
    ProductUpdate,
    StaffRequest,
    StaffResponse,
    StockChange,
    StockMovementResponse,
)
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.dependencies import ApiRequest, Catalog
from entrypoints.http.input import LINE_PATTERN
from entrypoints.http.shared import BEARER, Cursor, Limit, fields_of, listed_by_id, unset_to_none

MERCHANT_PRODUCTS = listed_by_id("merchant-products", ProductId)


class MerchantsController(Controller):
    path = "/merchants"
    tags = ["merchants"]

    @post(
        "/",
        operation_id="applyForStore",
        response_headers=LOCATION,
        responses=problems(NotAllowed, Conflict, InvalidValue),
        security=BEARER,
        summary="Apply to become a merchant",
    )
    async def apply(
        self, data: JSONBody[MerchantApplication], request: ApiRequest, catalog: Catalog
    ) -> Response[MerchantResponse]:
        merchant = await catalog.apply_for_merchant(ApplyForMerchantCommand(actor=request.actor, **fields_of(data)))
        return created(MerchantResponse.of(merchant), f"/api/v1/merchants/{merchant.id}")

    @get(
        "/{merchant_id:uuid}",
        operation_id="getStoreProfile",
        responses=problems(NotFound),
        summary="Public profile of an approved merchant",
    )
    async def profile(self, merchant_id: FromPath[MerchantId], catalog: Catalog) -> MerchantProfile:
        return MerchantProfile.of(await catalog.get_merchant_profile(merchant_id))


class MerchantStaffController(Controller):
    path = "/merchants/{merchant_id:uuid}/staff"
    tags = ["merchants"]
    security = BEARER

    @post(
        "/",
        operation_id="addStoreStaff",
        response_headers=LOCATION,
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Add a staff member (manager only)",
    )
    async def add_staff(
        self, merchant_id: FromPath[MerchantId], data: JSONBody[StaffRequest], request: ApiRequest, catalog: Catalog
    ) -> Response[StaffResponse]:
        member = await catalog.add_merchant_staff(
            AddStaffCommand(actor=request.actor, merchant_id=merchant_id, email=data.email)
        )
        return created(StaffResponse.of(member), f"/api/v1/merchants/{merchant_id}/staff/{member.user.id}")

    @get("/", operation_id="listStoreStaff", responses=problems(NotFound), summary="The merchant's people")
    async def list_staff(
        self, merchant_id: FromPath[MerchantId], request: ApiRequest, catalog: Catalog
    ) -> list[StaffResponse]:
        return [StaffResponse.of(member) for member in await catalog.list_merchant_staff(request.actor, merchant_id)]

    @get(
        "/{user_id:uuid}",
        operation_id="getStoreStaffMember",
        responses=problems(NotFound),
        summary="One person of the merchant's staff",
    )
    async def get_staff(
        self, merchant_id: FromPath[MerchantId], user_id: FromPath[UserId], request: ApiRequest, catalog: Catalog
    ) -> StaffResponse:
        member = await catalog.list_merchant_staff.one(request.actor, merchant_id, user_id)
        return StaffResponse.of(member)

    @delete(
        "/{user_id:uuid}",
        operation_id="removeStoreStaff",
        responses=problems(NotAllowed, NotFound),
        summary="Remove a staff member (manager only)",
    )
    async def remove_staff(
        self, merchant_id: FromPath[MerchantId], user_id: FromPath[UserId], request: ApiRequest, catalog: Catalog
    ) -> None:
        await catalog.remove_merchant_staff(
            RemoveStaffCommand(actor=request.actor, merchant_id=merchant_id, user_id=user_id)
        )


class MerchantProductsController(Controller):
    path = "/merchants/{merchant_id:uuid}/products"
    tags = ["merchant catalog"]
    security = BEARER

    @get(
        "/",
        operation_id="listStoreProducts",
        responses=problems(NotFound),
        summary="The merchant's products, newest first",
    )
    async def list_products(
        self,
        merchant_id: FromPath[MerchantId],
        request: ApiRequest,
        catalog: Catalog,
        status: Annotated[ProductStatus | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, pattern=LINE_PATTERN)] = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> MerchantProductPage:
        pager = request.cursors.pager(MERCHANT_PRODUCTS, cursor, scope=str(merchant_id))
        page = await catalog.list_merchant_products(
            MerchantProductsQuery(
                actor=request.actor,
                merchant_id=merchant_id,
                status=status,
                text=q,
                after=pager.after,
                limit=limit,
            )
        )
        return pager.respond(MerchantProductPage, page, MerchantProduct.of)

    @get(
        "/{product_id:uuid}",
        operation_id="getStoreProduct",
        responses=problems(NotFound),
        summary="One of the merchant's products, in any status",
    )
    async def get_product(
        self, merchant_id: FromPath[MerchantId], product_id: FromPath[ProductId], request: ApiRequest, catalog: Catalog
    ) -> MerchantProduct:
        product = await catalog.get_merchant_product(
            GetMerchantProductQuery(actor=request.actor, merchant_id=merchant_id, product_id=product_id)
        )
        return MerchantProduct.of(product)

    @post(
        "/",
        operation_id="createProduct",
        response_headers=LOCATION,
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Add a product to the merchant's catalog",
    )
    async def create_product(
        self, merchant_id: FromPath[MerchantId], data: JSONBody[ProductCreate], request: ApiRequest, catalog: Catalog
    ) -> Response[MerchantProduct]:
        product = await catalog.create_product(
            CreateProductCommand(
                actor=request.actor,
                merchant_id=merchant_id,
                sku=data.sku,
                name=data.name,
                description=data.description,
                price=PriceInput(amount_minor=data.price.amount_minor, currency=data.price.currency),
                stock=data.stock,
                category_id=CategoryId(data.category_id),
                images=data.images,
                status=data.status,
            )
        )
        return created(MerchantProduct.of(product), f"/api/v1/merchants/{merchant_id}/products/{product.id}")

    @patch(
        "/{product_id:uuid}",
        operation_id="updateProduct",
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Change a product's details, price, category or status",
    )
    async def update_product(
        self,
        merchant_id: FromPath[MerchantId],
        product_id: FromPath[ProductId],
        data: JSONBody[ProductUpdate],
        request: ApiRequest,
        catalog: Catalog,
    ) -> MerchantProduct:
        price = unset_to_none(data.price)
        category_id = unset_to_none(data.category_id)
        product = await catalog.revise_product(
            ReviseProductCommand(
                actor=request.actor,
                merchant_id=merchant_id,
                product_id=product_id,
                name=unset_to_none(data.name),
                description=unset_to_none(data.description),
                price=PriceInput(amount_minor=price.amount_minor, currency=price.currency) if price else None,
                category_id=CategoryId(category_id) if category_id else None,
                images=unset_to_none(data.images),
                status=unset_to_none(data.status),
            )
        )
        return MerchantProduct.of(product)

    @delete(
        "/{product_id:uuid}",
        operation_id="archiveProduct",
        responses=problems(NotFound),
        status_code=200,
        summary="Archive (never deleted)",
    )
    async def archive_product(
        self, merchant_id: FromPath[MerchantId], product_id: FromPath[ProductId], request: ApiRequest, catalog: Catalog
    ) -> MerchantProduct:
        product = await catalog.archive_product(
            ArchiveProductCommand(actor=request.actor, merchant_id=merchant_id, product_id=product_id)
        )
        return MerchantProduct.of(product)

    @post(
        "/{product_id:uuid}/stock",
        operation_id="moveStock",
        response_headers=LOCATION,
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Add or remove stock (never below zero: 409)",
    )
    async def move_stock(
        self,
        merchant_id: FromPath[MerchantId],
        product_id: FromPath[ProductId],
        data: JSONBody[StockChange],
        request: ApiRequest,
        catalog: Catalog,
    ) -> Response[StockMovementResponse]:
        movement = await catalog.move_stock(
            MoveStockCommand(actor=request.actor, merchant_id=merchant_id, product_id=product_id, **fields_of(data))
        )
        # A movement has no address of its own: the product whose stock it moved does.
        return created(StockMovementResponse.of(movement), f"/api/v1/merchants/{merchant_id}/products/{product_id}")
