"""What customers browse: categories, product listings and search, product pages (cached)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter

from adapters.redis import RedisCatalogCache
from application.catalog.browse import BrowseProducts, GetPublicProduct
from application.catalog.categories import ManageCategories
from application.ports import ProductQuery, ProductSort
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId
from domain.errors import InvalidValue, NotFound
from entrypoints.http.catalog.schemas import CategoryResponse, ProductCard, ProductCardPage, ProductDetail
from entrypoints.http.contract import problems
from entrypoints.http.cursors import CursorCodec

JSON = "application/json"
_encoder = msgspec.json.Encoder()


def _fingerprint(query: ProductQuery) -> str:
    normalised = [
        (query.text or "").strip().lower(),
        query.category or "",
        str(query.merchant_id or ""),
        query.min_price,
        query.max_price,
        query.in_stock,
        query.effective_sort.value,
    ]
    return hashlib.sha256(msgspec.json.encode(normalised)).hexdigest()[:24]


class CategoriesController(Controller):
    path = "/categories"
    tags = ["catalog"]

    @get("/", operation_id="listCategories", summary="Every category, flat, with parent_id and path")
    async def list_categories(self, manage_categories: NamedDependency[ManageCategories]) -> list[CategoryResponse]:
        return [CategoryResponse.of(category) for category in await manage_categories.list()]


class ProductsController(Controller):
    path = "/products"
    tags = ["catalog"]

    @get(
        "/",
        operation_id="browseProducts",
        summary="Listed products: filters, full-text search, keyset pages",
        responses={
            200: ResponseSpec(data_container=ProductCardPage, description="A page of products"),
            **problems(InvalidValue),
        },
    )
    async def browse(
        self,
        browse_products: NamedDependency[BrowseProducts],
        catalog_cache: NamedDependency[RedisCatalogCache],
        cursors: NamedDependency[CursorCodec],
        q: Annotated[
            str | None, QueryParameter(max_length=200, description="Words; the last one matches as a prefix")
        ] = None,
        category: Annotated[
            str | None, QueryParameter(max_length=60, description="Category slug (descendants included)")
        ] = None,
        merchant: Annotated[UUID | None, QueryParameter()] = None,
        min_price: Annotated[int | None, QueryParameter(ge=0, description="Minor units")] = None,
        max_price: Annotated[int | None, QueryParameter(ge=0, description="Minor units")] = None,
        in_stock: Annotated[bool | None, QueryParameter()] = None,
        sort: Annotated[ProductSort, QueryParameter()] = ProductSort.RELEVANCE,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=512)] = None,
    ) -> Response[bytes]:
        query = ProductQuery(
            text=q.strip() if q and q.strip() else None,
            category=category,
            merchant_id=MerchantId(merchant) if merchant else None,
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
            sort=sort,
        )
        fingerprint = _fingerprint(query)
        after = None
        if cursor:
            position: dict[str, Any] = cursors.decode("products", cursor)
            if position.get("q") != fingerprint or not isinstance(position.get("p"), list):
                raise InvalidValue("the cursor belongs to another listing", field="cursor", rule="cursor")
            after = tuple(position["p"])
        cached = await catalog_cache.listing_page(f"{fingerprint}|{cursor or ''}|{limit}")
        if cached.body is not None:
            return Response(content=cached.body, media_type=JSON)
        page = await browse_products(query, after=after, limit=limit)
        body = _encoder.encode(
            ProductCardPage(
                items=[ProductCard.of(item) for item in page.items],
                next_cursor=(
                    cursors.encode("products", {"q": fingerprint, "p": list(page.next_position)})
                    if page.next_position is not None
                    else None
                ),
            )
        )
        await catalog_cache.store(cached, body)
        return Response(content=body, media_type=JSON)

    @get(
        "/{product_id:uuid}",
        operation_id="getProduct",
        summary="A listed product, with its store and category path",
        responses={200: ResponseSpec(data_container=ProductDetail, description="The product"), **problems(NotFound)},
    )
    async def detail(
        self,
        product_id: FromPath[UUID],
        get_public_product: NamedDependency[GetPublicProduct],
        catalog_cache: NamedDependency[RedisCatalogCache],
    ) -> Response[bytes]:
        cached = await catalog_cache.product_page(ProductId(product_id))
        if cached.body is not None:
            return Response(content=cached.body, media_type=JSON)
        body = _encoder.encode(ProductDetail.of(await get_public_product(ProductId(product_id))))
        await catalog_cache.store(cached, body)
        return Response(content=body, media_type=JSON)
