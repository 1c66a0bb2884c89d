"""Store applications, public profiles, store staff and the store's own catalog."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.catalog.merchants import ApplyForMerchant, ApplyForMerchantCommand, GetMerchantProfile
from application.catalog.products import (
    CreateProductCommand,
    ManageProducts,
    PriceInput,
    StockChangeCommand,
    StoreProductsQuery,
    UpdateProductCommand,
)
from application.catalog.staff import (
    AddStaffCommand,
    AddStoreStaff,
    ListStoreStaff,
    RemoveStaffCommand,
    RemoveStoreStaff,
)
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId, ProductStatus
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, UserId
from entrypoints.http.catalog.schemas import (
    MerchantApplication,
    MerchantProfile,
    MerchantResponse,
    ProductCreate,
    ProductUpdate,
    StaffRequest,
    StaffResponse,
    StockChange,
    StockMovementResponse,
    StoreProduct,
    StoreProductPage,
)
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import unset_to_none


class MerchantsController(Controller):
    path = "/merchants"
    tags = ["stores"]

    @post(
        "/",
        operation_id="applyForStore",
        responses=problems(NotAllowed, Conflict, InvalidValue),
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
        security=BEARER,
        summary="Apply to open a store",
    )
    async def apply(
        self,
        data: JSONBody[MerchantApplication],
        actor: NamedDependency[Actor],
        apply_for_merchant: NamedDependency[ApplyForMerchant],
    ) -> Response[MerchantResponse]:
        merchant = await apply_for_merchant(
            ApplyForMerchantCommand(
                actor=actor,
                name=data.name,
                legal_id=data.legal_id,
                description=data.description,
                contact_email=data.contact_email,
            )
        )
        return created(MerchantResponse.of(merchant), f"/api/v1/merchants/{merchant.id}")

    @get(
        "/{merchant_id:uuid}",
        operation_id="getStoreProfile",
        responses=problems(NotFound),
        summary="Public profile of an approved store",
    )
    async def profile(
        self, merchant_id: FromPath[UUID], get_merchant_profile: NamedDependency[GetMerchantProfile]
    ) -> MerchantProfile:
        return MerchantProfile.of(await get_merchant_profile(MerchantId(merchant_id)))

    @post(
        "/{merchant_id:uuid}/staff",
        operation_id="addStoreStaff",
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
        security=BEARER,
        summary="Add a staff member (manager only)",
    )
    async def add_staff(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[StaffRequest],
        actor: NamedDependency[Actor],
        add_store_staff: NamedDependency[AddStoreStaff],
    ) -> Response[StaffResponse]:
        member = await add_store_staff(
            AddStaffCommand(actor=actor, merchant_id=MerchantId(merchant_id), email=data.email)
        )
        return created(StaffResponse.of(member), f"/api/v1/merchants/{merchant_id}/staff/{member.user.id}")

    @get(
        "/{merchant_id:uuid}/staff",
        operation_id="listStoreStaff",
        responses=problems(NotFound),
        security=BEARER,
        summary="The store's people",
    )
    async def list_staff(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        list_store_staff: NamedDependency[ListStoreStaff],
    ) -> list[StaffResponse]:
        return [StaffResponse.of(member) for member in await list_store_staff(actor, MerchantId(merchant_id))]

    @get(
        "/{merchant_id:uuid}/staff/{user_id:uuid}",
        operation_id="getStoreStaffMember",
        responses=problems(NotFound),
        summary="One person of the store's staff",
        security=BEARER,
    )
    async def get_staff(
        self,
        merchant_id: FromPath[UUID],
        user_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        list_store_staff: NamedDependency[ListStoreStaff],
    ) -> StaffResponse:
        return StaffResponse.of(await list_store_staff.one(actor, MerchantId(merchant_id), UserId(user_id)))

    @delete(
        "/{merchant_id:uuid}/staff/{user_id:uuid}",
        operation_id="removeStoreStaff",
        responses=problems(NotAllowed, NotFound),
        status_code=HTTP_204_NO_CONTENT,
        security=BEARER,
        summary="Remove a staff member (manager only)",
    )
    async def remove_staff(
        self,
        merchant_id: FromPath[UUID],
        user_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        remove_store_staff: NamedDependency[RemoveStoreStaff],
    ) -> None:
        await remove_store_staff(
            RemoveStaffCommand(actor=actor, merchant_id=MerchantId(merchant_id), user_id=UserId(user_id))
        )


class StoreProductsController(Controller):
    path = "/merchants/{merchant_id:uuid}/products"
    tags = ["store catalog"]
    security = BEARER

    @get(
        "/",
        operation_id="listStoreProducts",
        responses=problems(NotFound),
        summary="The store's products, newest first",
    )
    async def list_products(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[ProductStatus | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=512)] = None,
    ) -> StoreProductPage:
        kind = f"store-products:{merchant_id}"
        after = ProductId(UUID(cursors.decode(kind, cursor)["after"])) if cursor else None
        items, last = await manage_products.list(
            StoreProductsQuery(
                actor=actor, merchant_id=MerchantId(merchant_id), status=status, text=q, after=after, limit=limit
            )
        )
        return StoreProductPage(
            items=[StoreProduct.of(product) for product in items],
            next_cursor=cursors.encode(kind, {"after": str(last)}) if last else None,
        )

    @get(
        "/{product_id:uuid}",
        operation_id="getStoreProduct",
        responses=problems(NotFound),
        summary="One of the store's products, in any status",
    )
    async def get_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
    ) -> StoreProduct:
        return StoreProduct.of(await manage_products.get(actor, MerchantId(merchant_id), ProductId(product_id)))

    @post(
        "/",
        operation_id="createProduct",
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Add a product to the store's catalog",
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
    )
    async def create_product(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[ProductCreate],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
    ) -> Response[StoreProduct]:
        product = await manage_products.create(
            CreateProductCommand(
                actor=actor,
                merchant_id=MerchantId(merchant_id),
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
        return created(StoreProduct.of(product), f"/api/v1/merchants/{merchant_id}/products/{product.id}")

    @patch(
        "/{product_id:uuid}",
        operation_id="updateProduct",
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Change a product's details, price, category or status",
    )
    async def update_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        data: JSONBody[ProductUpdate],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
    ) -> StoreProduct:
        price = unset_to_none(data.price)
        category_id = unset_to_none(data.category_id)
        product = await manage_products.update(
            UpdateProductCommand(
                actor=actor,
                merchant_id=MerchantId(merchant_id),
                product_id=ProductId(product_id),
                name=unset_to_none(data.name),
                description=unset_to_none(data.description),
                price=PriceInput(amount_minor=price.amount_minor, currency=price.currency) if price else None,
                category_id=CategoryId(category_id) if category_id else None,
                images=unset_to_none(data.images),
                status=unset_to_none(data.status),
            )
        )
        return StoreProduct.of(product)

    @delete(
        "/{product_id:uuid}",
        operation_id="archiveProduct",
        responses=problems(NotFound),
        status_code=200,
        summary="Archive (never deleted)",
    )
    async def archive_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
    ) -> StoreProduct:
        return StoreProduct.of(await manage_products.archive(actor, MerchantId(merchant_id), ProductId(product_id)))

    @post(
        "/{product_id:uuid}/stock",
        operation_id="moveStock",
        responses=problems(NotFound, Conflict, InvalidValue),
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
        summary="Add or remove stock (never below zero: 409)",
    )
    async def move_stock(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        data: JSONBody[StockChange],
        actor: NamedDependency[Actor],
        manage_products: NamedDependency[ManageProducts],
    ) -> Response[StockMovementResponse]:
        movement = await manage_products.change_stock(
            StockChangeCommand(
                actor=actor,
                merchant_id=MerchantId(merchant_id),
                product_id=ProductId(product_id),
                delta=data.delta,
                reason=data.reason,
            )
        )
        # A movement has no address of its own: the product whose stock it moved does.
        return created(StockMovementResponse.of(movement), f"/api/v1/merchants/{merchant_id}/products/{product_id}")
