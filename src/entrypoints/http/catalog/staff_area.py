"""Platform staff: store decisions, the category tree, product moderation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from application.catalog.approve_merchant import ApproveMerchant, ApproveMerchantCommand
from application.catalog.create_category import CreateCategory, CreateCategoryCommand
from application.catalog.delete_category import DeleteCategory, DeleteCategoryCommand
from application.catalog.list_merchants import ListMerchants, ListMerchantsQuery
from application.catalog.reinstate_merchant import ReinstateMerchant, ReinstateMerchantCommand
from application.catalog.reinstate_product import ReinstateProduct, ReinstateProductCommand
from application.catalog.revise_category import ReviseCategory, ReviseCategoryCommand
from application.catalog.suspend_merchant import SuspendMerchant, SuspendMerchantCommand
from application.catalog.suspend_product import SuspendProduct, SuspendProductCommand
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId, MerchantStatus
from domain.catalog.products import ProductId
from domain.identity.roles import Actor
from entrypoints.http.catalog.schemas import (
    CategoryCreate,
    CategoryResponse,
    CategoryUpdate,
    MerchantPage,
    MerchantResponse,
    StoreProduct,
    SuspensionRequest,
)
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import unset_to_none


class AdminMerchantsController(Controller):
    path = "/admin/merchants"
    tags = ["staff"]
    security = BEARER

    @get("/", operation_id="listStores", summary="Stores by status, newest first (admin, support)")
    async def list_merchants(
        self,
        actor: NamedDependency[Actor],
        list_merchants: NamedDependency[ListMerchants],
        cursors: NamedDependency[CursorCodec],
        status: Annotated[MerchantStatus | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=512)] = None,
    ) -> MerchantPage:
        after = MerchantId(UUID(cursors.decode("merchants", cursor)["after"])) if cursor else None
        items, last = await list_merchants(ListMerchantsQuery(actor=actor, status=status, after=after, limit=limit))
        return MerchantPage(
            items=[MerchantResponse.of(merchant) for merchant in items],
            next_cursor=cursors.encode("merchants", {"after": str(last)}) if last else None,
        )

    @post("/{merchant_id:uuid}/approve", operation_id="approveStore", status_code=HTTP_200_OK)
    async def approve(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        approve_merchant: NamedDependency[ApproveMerchant],
    ) -> MerchantResponse:
        merchant = await approve_merchant(ApproveMerchantCommand(actor=actor, merchant_id=MerchantId(merchant_id)))
        return MerchantResponse.of(merchant)

    @post("/{merchant_id:uuid}/suspend", operation_id="suspendStore", status_code=HTTP_200_OK)
    async def suspend(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[SuspensionRequest],
        actor: NamedDependency[Actor],
        suspend_merchant: NamedDependency[SuspendMerchant],
    ) -> MerchantResponse:
        merchant = await suspend_merchant(
            SuspendMerchantCommand(actor=actor, merchant_id=MerchantId(merchant_id), reason=data.reason)
        )
        return MerchantResponse.of(merchant)

    @post("/{merchant_id:uuid}/reinstate", operation_id="reinstateStore", status_code=HTTP_200_OK)
    async def reinstate(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        reinstate_merchant: NamedDependency[ReinstateMerchant],
    ) -> MerchantResponse:
        merchant = await reinstate_merchant(ReinstateMerchantCommand(actor=actor, merchant_id=MerchantId(merchant_id)))
        return MerchantResponse.of(merchant)


class AdminCategoriesController(Controller):
    path = "/admin/categories"
    tags = ["staff"]
    security = BEARER

    @post("/", operation_id="createCategory", status_code=HTTP_201_CREATED)
    async def create(
        self,
        data: JSONBody[CategoryCreate],
        actor: NamedDependency[Actor],
        create_category: NamedDependency[CreateCategory],
    ) -> CategoryResponse:
        category = await create_category(
            CreateCategoryCommand(
                actor=actor,
                name=data.name,
                slug=data.slug,
                parent_id=CategoryId(data.parent_id) if data.parent_id else None,
            )
        )
        return CategoryResponse.of(category)

    @patch("/{category_id:uuid}", operation_id="updateCategory", summary="Rename or move (parent_id null: to the root)")
    async def update(
        self,
        category_id: FromPath[UUID],
        data: JSONBody[CategoryUpdate],
        actor: NamedDependency[Actor],
        revise_category: NamedDependency[ReviseCategory],
    ) -> CategoryResponse:
        parent = unset_to_none(data.parent_id)
        category = await revise_category(
            ReviseCategoryCommand(
                actor=actor,
                category_id=CategoryId(category_id),
                name=unset_to_none(data.name),
                slug=unset_to_none(data.slug),
                parent_id=CategoryId(parent) if parent else None,
                move_to_root=data.parent_id is None and data.parent_id is not UNSET,
            )
        )
        return CategoryResponse.of(category)

    @delete("/{category_id:uuid}", operation_id="deleteCategory", status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self,
        category_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        delete_category: NamedDependency[DeleteCategory],
    ) -> None:
        await delete_category(DeleteCategoryCommand(actor=actor, category_id=CategoryId(category_id)))


class AdminProductsController(Controller):
    path = "/admin/products"
    tags = ["staff"]
    security = BEARER

    @post("/{product_id:uuid}/suspend", operation_id="suspendProduct", status_code=HTTP_200_OK)
    async def suspend(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[SuspensionRequest],
        actor: NamedDependency[Actor],
        suspend_product: NamedDependency[SuspendProduct],
    ) -> StoreProduct:
        product = await suspend_product(
            SuspendProductCommand(actor=actor, product_id=ProductId(product_id), reason=data.reason)
        )
        return StoreProduct.of(product)

    @post("/{product_id:uuid}/reinstate", operation_id="reinstateProduct", status_code=HTTP_200_OK)
    async def reinstate(
        self,
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        reinstate_product: NamedDependency[ReinstateProduct],
    ) -> StoreProduct:
        product = await reinstate_product(ReinstateProductCommand(actor=actor, product_id=ProductId(product_id)))
        return StoreProduct.of(product)
