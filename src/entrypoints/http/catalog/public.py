"""What customers browse: categories, product listings and search, product pages (cached)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter

from application.ports import Position, ProductQuery, ProductSort
from domain.catalog.merchants import MerchantId
from domain.catalog.products import MAX_PRICE_MINOR, ProductId
from domain.errors import InvalidValue, NotFound
from entrypoints.http.catalog.schemas import CategoryResponse, ProductCard, ProductCardPage, ProductDetail
from entrypoints.http.contract import ETAG, problems
from entrypoints.http.dependencies import ApiRequest, Catalog
from entrypoints.http.input import LINE_PATTERN, MINIMUM_ZERO
from entrypoints.http.rate_limits import limited
from entrypoints.http.shared import Cursor, Listing

JSON = "application/json"
_encoder = msgspec.json.Encoder()
NOT_MODIFIED = ResponseSpec(data_container=None, description="Not modified: the If-None-Match ETag still holds")


def _page(request: Request[Any, Any, Any], body: bytes) -> Response[bytes]:
    """The page's bytes with an ETag of them; a 304 without a body when the client holds these bytes."""
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=b"", status_code=304, headers={"ETag": etag})
    return Response(content=body, media_type=JSON, headers={"ETag": etag})


_RANK_LIMIT = 1e6  # ts_rank scores are small positive floats


def _position(raw: Any) -> Position:
    """A products cursor's position, checked even though it is signed: ``[id]`` or ``[price|rank, id]``."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= 2 or not isinstance(raw[-1], str):
        raise TypeError("a position is a list of a sort key and an id")
    *key, last = raw
    product_id = str(UUID(last))
    if not key:
        return (product_id,)
    first = key[0]
    if type(first) is int and 0 <= first <= MAX_PRICE_MINOR:
        return (first, product_id)
    if type(first) is float and 0 <= first <= _RANK_LIMIT:
        return (first, product_id)
    raise ValueError("the position's sort key is out of range")


PRODUCTS = Listing(name="products", load=_position, dump=list)


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
    async def list_categories(self, catalog: Catalog) -> list[CategoryResponse]:
        return [CategoryResponse.of(category) for category in await catalog.list_categories()]


class ProductsController(Controller):
    path = "/products"
    tags = ["catalog"]

    @get(
        "/",
        operation_id="browseProducts",
        opt=limited("search_per_client", only_with_query="q"),
        summary="Listed products: filters, full-text search, keyset pages",
        responses={
            200: ResponseSpec(data_container=ProductCardPage, description="A page of products"),
            304: NOT_MODIFIED,
            **problems(InvalidValue),
        },
        response_headers=ETAG,
    )
    async def browse(
        self,
        request: ApiRequest,
        catalog: Catalog,
        q: Annotated[
            str | None,
            QueryParameter(max_length=200, pattern=LINE_PATTERN, description="Words; the last one matches as a prefix"),
        ] = None,
        category: Annotated[
            str | None,
            QueryParameter(max_length=60, pattern=LINE_PATTERN, description="Category slug (descendants included)"),
        ] = None,
        merchant: Annotated[UUID | None, QueryParameter()] = None,
        min_price: Annotated[
            int | None, QueryParameter(ge=0, le=MAX_PRICE_MINOR, description="Minor units", schema_extra=MINIMUM_ZERO)
        ] = None,
        max_price: Annotated[
            int | None, QueryParameter(ge=0, le=MAX_PRICE_MINOR, description="Minor units", schema_extra=MINIMUM_ZERO)
        ] = None,
        in_stock: Annotated[bool | None, QueryParameter()] = None,
        sort: Annotated[ProductSort, QueryParameter()] = ProductSort.RELEVANCE,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Cursor = None,
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
        after = request.cursors.position(PRODUCTS, cursor, scope=fingerprint)
        cached = await catalog.page_cache.listing_page(f"{fingerprint}|{cursor or ''}|{limit}")
        if cached.body is not None:
            return _page(request, cached.body)
        page = await catalog.browse_products(query, after=after, limit=limit)
        body = _encoder.encode(
            ProductCardPage(
                items=[ProductCard.of(item) for item in page.items],
                next_cursor=request.cursors.next_cursor(PRODUCTS, page, scope=fingerprint),
            )
        )
        await catalog.page_cache.store(cached, body)
        return _page(request, body)

    @get(
        "/{product_id:uuid}",
        operation_id="getProduct",
        summary="A listed product, with its merchant and category path",
        responses={
            200: ResponseSpec(data_container=ProductDetail, description="The product"),
            304: NOT_MODIFIED,
            **problems(NotFound),
        },
        response_headers=ETAG,
    )
    async def detail(self, product_id: FromPath[ProductId], catalog: Catalog, request: ApiRequest) -> Response[bytes]:
        cached = await catalog.page_cache.product_page(product_id)
        if cached.body is not None:
            return _page(request, cached.body)
        body = _encoder.encode(ProductDetail.of(await catalog.get_public_product(product_id)))
        await catalog.page_cache.store(cached, body)
        return _page(request, body)
