"""Store applications, public profiles, store staff and the store's own catalog."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.catalog.apply_for_merchant import ApplyForMerchant, ApplyForMerchantCommand
from application.catalog.archive_product import ArchiveProduct, ArchiveProductCommand
from application.catalog.create_product import CreateProduct, CreateProductCommand, PriceInput
from application.catalog.get_merchant_product import GetMerchantProduct, GetMerchantProductQuery
from application.catalog.get_merchant_profile import GetMerchantProfile
from application.catalog.list_merchant_products import ListMerchantProducts, MerchantProductsQuery
from application.catalog.move_stock import MoveStock, MoveStockCommand
from application.catalog.revise_product import ReviseProduct, ReviseProductCommand
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
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import unset_to_none


class MerchantsController(Controller):
    path = "/merchants"
    tags = ["stores"]

    @post(
        "/",
        operation_id="applyForStore",
        status_code=HTTP_201_CREATED,
        security=BEARER,
        summary="Apply to open a store",
    )
    async def apply(
        self,
        data: JSONBody[MerchantApplication],
        actor: NamedDependency[Actor],
        apply_for_merchant: NamedDependency[ApplyForMerchant],
    ) -> MerchantResponse:
        merchant = await apply_for_merchant(
            ApplyForMerchantCommand(
                actor=actor,
                name=data.name,
                legal_id=data.legal_id,
                description=data.description,
                contact_email=data.contact_email,
            )
        )
        return MerchantResponse.of(merchant)

    @get("/{merchant_id:uuid}", operation_id="getStoreProfile", summary="Public profile of an approved store")
    async def profile(
        self, merchant_id: FromPath[UUID], get_merchant_profile: NamedDependency[GetMerchantProfile]
    ) -> MerchantProfile:
        return MerchantProfile.of(await get_merchant_profile(MerchantId(merchant_id)))

    @post(
        "/{merchant_id:uuid}/staff",
        operation_id="addStoreStaff",
        status_code=HTTP_201_CREATED,
        security=BEARER,
        summary="Add a staff member (manager only)",
    )
    async def add_staff(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[StaffRequest],
        actor: NamedDependency[Actor],
        add_store_staff: NamedDependency[AddStoreStaff],
    ) -> StaffResponse:
        member = await add_store_staff(
            AddStaffCommand(actor=actor, merchant_id=MerchantId(merchant_id), email=data.email)
        )
        return StaffResponse.of(member)

    @get("/{merchant_id:uuid}/staff", operation_id="listStoreStaff", security=BEARER, summary="The store's people")
    async def list_staff(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        list_store_staff: NamedDependency[ListStoreStaff],
    ) -> list[StaffResponse]:
        return [StaffResponse.of(member) for member in await list_store_staff(actor, MerchantId(merchant_id))]

    @get("/{merchant_id:uuid}/staff/{user_id:uuid}", operation_id="getStoreStaffMember", security=BEARER)
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

    @get("/", operation_id="listStoreProducts", summary="The store's products, newest first")
    async def list_products(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        list_merchant_products: NamedDependency[ListMerchantProducts],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[ProductStatus | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=512)] = None,
    ) -> StoreProductPage:
        kind = f"store-products:{merchant_id}"
        after = ProductId(UUID(cursors.decode(kind, cursor)["after"])) if cursor else None
        items, last = await list_merchant_products(
            MerchantProductsQuery(
                actor=actor, merchant_id=MerchantId(merchant_id), status=status, text=q, after=after, limit=limit
            )
        )
        return StoreProductPage(
            items=[StoreProduct.of(product) for product in items],
            next_cursor=cursors.encode(kind, {"after": str(last)}) if last else None,
        )

    @get("/{product_id:uuid}", operation_id="getStoreProduct")
    async def get_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        get_merchant_product: NamedDependency[GetMerchantProduct],
    ) -> StoreProduct:
        return StoreProduct.of(
            await get_merchant_product(
                GetMerchantProductQuery(
                    actor=actor, merchant_id=MerchantId(merchant_id), product_id=ProductId(product_id)
                )
            )
        )

    @post("/", operation_id="createProduct", status_code=HTTP_201_CREATED)
    async def create_product(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[ProductCreate],
        actor: NamedDependency[Actor],
        create_product: NamedDependency[CreateProduct],
    ) -> StoreProduct:
        product = await create_product(
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
        return StoreProduct.of(product)

    @patch("/{product_id:uuid}", operation_id="updateProduct")
    async def update_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        data: JSONBody[ProductUpdate],
        actor: NamedDependency[Actor],
        revise_product: NamedDependency[ReviseProduct],
    ) -> StoreProduct:
        price = unset_to_none(data.price)
        category_id = unset_to_none(data.category_id)
        product = await revise_product(
            ReviseProductCommand(
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

    @delete("/{product_id:uuid}", operation_id="archiveProduct", status_code=200, summary="Archive (never deleted)")
    async def archive_product(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        archive_product: NamedDependency[ArchiveProduct],
    ) -> StoreProduct:
        return StoreProduct.of(
            await archive_product(
                ArchiveProductCommand(
                    actor=actor, merchant_id=MerchantId(merchant_id), product_id=ProductId(product_id)
                )
            )
        )

    @post(
        "/{product_id:uuid}/stock",
        operation_id="moveStock",
        status_code=HTTP_201_CREATED,
        summary="Add or remove stock (never below zero: 409)",
    )
    async def move_stock(
        self,
        merchant_id: FromPath[UUID],
        product_id: FromPath[UUID],
        data: JSONBody[StockChange],
        actor: NamedDependency[Actor],
        move_stock: NamedDependency[MoveStock],
    ) -> StockMovementResponse:
        movement = await move_stock(
            MoveStockCommand(
                actor=actor,
                merchant_id=MerchantId(merchant_id),
                product_id=ProductId(product_id),
                delta=data.delta,
                reason=data.reason,
            )
        )
        return StockMovementResponse.of(movement)
