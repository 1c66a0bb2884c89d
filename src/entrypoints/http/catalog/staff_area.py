"""Platform staff: store decisions, the category tree, product moderation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET

from application.catalog.categories import CreateCategoryCommand, ManageCategories, UpdateCategoryCommand
from application.catalog.merchants import DecideOnMerchant, ListMerchants, ListMerchantsQuery, MerchantDecisionCommand
from application.catalog.products import ModerateProducts, ModerationCommand
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId, MerchantStatus
from domain.catalog.products import ProductId
from domain.errors import Conflict, InvalidValue, NotAllowed, NotFound
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
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.cursors import CursorCodec
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import unset_to_none


class AdminMerchantsController(Controller):
    path = "/admin/merchants"
    tags = ["staff"]
    security = BEARER

    @get(
        "/",
        operation_id="listStores",
        responses=problems(NotAllowed),
        summary="Stores by status, newest first (admin, support)",
    )
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

    @post(
        "/{merchant_id:uuid}/approve",
        operation_id="approveStore",
        responses=problems(NotAllowed, NotFound, Conflict),
        summary="Approve a pending store: its applicant becomes its manager",
        status_code=HTTP_200_OK,
    )
    async def approve(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        decide_on_merchant: NamedDependency[DecideOnMerchant],
    ) -> MerchantResponse:
        merchant = await decide_on_merchant.approve(
            MerchantDecisionCommand(actor=actor, merchant_id=MerchantId(merchant_id))
        )
        return MerchantResponse.of(merchant)

    @post(
        "/{merchant_id:uuid}/suspend",
        operation_id="suspendStore",
        responses=problems(NotAllowed, NotFound, Conflict, InvalidValue),
        summary="Suspend a store: its products leave the catalog at once",
        status_code=HTTP_200_OK,
    )
    async def suspend(
        self,
        merchant_id: FromPath[UUID],
        data: JSONBody[SuspensionRequest],
        actor: NamedDependency[Actor],
        decide_on_merchant: NamedDependency[DecideOnMerchant],
    ) -> MerchantResponse:
        merchant = await decide_on_merchant.suspend(
            MerchantDecisionCommand(actor=actor, merchant_id=MerchantId(merchant_id), reason=data.reason)
        )
        return MerchantResponse.of(merchant)

    @post(
        "/{merchant_id:uuid}/reinstate",
        operation_id="reinstateStore",
        responses=problems(NotAllowed, NotFound, Conflict),
        summary="Reinstate a suspended store and list its products again",
        status_code=HTTP_200_OK,
    )
    async def reinstate(
        self,
        merchant_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        decide_on_merchant: NamedDependency[DecideOnMerchant],
    ) -> MerchantResponse:
        merchant = await decide_on_merchant.reinstate(
            MerchantDecisionCommand(actor=actor, merchant_id=MerchantId(merchant_id))
        )
        return MerchantResponse.of(merchant)


class AdminCategoriesController(Controller):
    path = "/admin/categories"
    tags = ["staff"]
    security = BEARER

    @post(
        "/",
        operation_id="createCategory",
        responses=problems(NotAllowed, Conflict, InvalidValue),
        summary="Create a category (under a parent, or at the root)",
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
    )
    async def create(
        self,
        data: JSONBody[CategoryCreate],
        actor: NamedDependency[Actor],
        manage_categories: NamedDependency[ManageCategories],
    ) -> Response[CategoryResponse]:
        category = await manage_categories.create(
            CreateCategoryCommand(
                actor=actor,
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
        self,
        category_id: FromPath[UUID],
        data: JSONBody[CategoryUpdate],
        actor: NamedDependency[Actor],
        manage_categories: NamedDependency[ManageCategories],
    ) -> CategoryResponse:
        parent = unset_to_none(data.parent_id)
        category = await manage_categories.update(
            UpdateCategoryCommand(
                actor=actor,
                category_id=CategoryId(category_id),
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
        status_code=HTTP_204_NO_CONTENT,
    )
    async def remove(
        self,
        category_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        manage_categories: NamedDependency[ManageCategories],
    ) -> None:
        await manage_categories.delete(actor, CategoryId(category_id))


class AdminProductsController(Controller):
    path = "/admin/products"
    tags = ["staff"]
    security = BEARER

    @post(
        "/{product_id:uuid}/suspend",
        operation_id="suspendProduct",
        responses=problems(NotAllowed, NotFound, InvalidValue),
        summary="Suspend a product: hidden from customers at once",
        status_code=HTTP_200_OK,
    )
    async def suspend(
        self,
        product_id: FromPath[UUID],
        data: JSONBody[SuspensionRequest],
        actor: NamedDependency[Actor],
        moderate_products: NamedDependency[ModerateProducts],
    ) -> StoreProduct:
        product = await moderate_products.suspend(
            ModerationCommand(actor=actor, product_id=ProductId(product_id), reason=data.reason)
        )
        return StoreProduct.of(product)

    @post(
        "/{product_id:uuid}/reinstate",
        operation_id="reinstateProduct",
        responses=problems(NotAllowed, NotFound),
        summary="Reinstate a suspended product",
        status_code=HTTP_200_OK,
    )
    async def reinstate(
        self,
        product_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        moderate_products: NamedDependency[ModerateProducts],
    ) -> StoreProduct:
        product = await moderate_products.reinstate(ModerationCommand(actor=actor, product_id=ProductId(product_id)))
        return StoreProduct.of(product)
