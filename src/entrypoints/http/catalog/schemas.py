"""Wire formats of the catalog routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from application.catalog.staff import StaffMember
from application.ports import ProductSummary, PublicProduct
from domain.catalog.products import MAX_DESCRIPTION, MAX_IMAGES, MAX_STOCK, Product, ProductStatus
from domain.money import Money
from entrypoints.http.input import Url, line, multiline
from entrypoints.http.shared import Copied, RequestBody, copy_into

Text200 = Annotated[str, line(min_length=1, max_length=200)]
Reason = Annotated[str, multiline(min_length=3, max_length=500)]
Description = Annotated[str, multiline(max_length=MAX_DESCRIPTION)]
Images = Annotated[list[Url], Meta(max_length=MAX_IMAGES)]


class Price(RequestBody):
    amount_minor: Annotated[int, Meta(ge=1, le=10**13, description="Minor units (centavos); never a float")]
    currency: Annotated[str, Meta(pattern=r"^[A-Za-z]{3}$", description="ISO 4217; the marketplace currency")]

    @classmethod
    def of(cls, money: Money) -> Price:
        return cls(amount_minor=money.amount_minor, currency=money.currency.code)


# --- merchants ---------------------------------------------------------------------------------------


class MerchantApplication(RequestBody):
    name: Annotated[str, line(min_length=2, max_length=120)]
    legal_id: Annotated[str, line(min_length=5, max_length=32, description="Tax id (NIT)")]
    description: Annotated[str, multiline(max_length=2000)]
    contact_email: Annotated[str, line(max_length=254)]


class MerchantResponse(Copied):
    """The merchant as staff and its applicant see it."""

    id: UUID
    name: str
    legal_id: str
    description: str
    contact_email: str
    applicant_id: UUID
    status: str
    suspension_reason: str | None
    created_at: datetime


class MerchantProfile(Copied):
    """The merchant as customers see it."""

    id: UUID
    name: str
    description: str
    created_at: datetime


class MerchantPage(msgspec.Struct):
    items: list[MerchantResponse]
    next_cursor: str | None


class SuspensionRequest(RequestBody):
    reason: Reason


class StaffRequest(RequestBody):
    email: Annotated[str, line(max_length=254)]


class StaffResponse(msgspec.Struct):
    user_id: UUID
    email: str
    first_name: str
    last_name: str
    store_role: str
    since: datetime

    @classmethod
    def of(cls, member: StaffMember) -> StaffResponse:
        return cls(
            user_id=member.user.id,
            email=member.user.email.value,
            first_name=member.user.first_name,
            last_name=member.user.last_name,
            store_role=member.membership.role.value,
            since=member.membership.created_at,
        )


# --- categories -------------------------------------------------------------------------------------


class CategoryCreate(RequestBody):
    name: Annotated[str, line(min_length=1, max_length=80)]
    slug: Annotated[str, line(min_length=1, max_length=60)] | None = None
    parent_id: UUID | None = None


class CategoryUpdate(RequestBody):
    name: Annotated[str, line(min_length=1, max_length=80)] | UnsetType = UNSET
    slug: Annotated[str, line(min_length=1, max_length=60)] | UnsetType = UNSET
    parent_id: UUID | UnsetType | None = UNSET


class CategoryResponse(Copied):
    id: UUID
    name: str
    slug: str
    parent_id: UUID | None
    path: str


# --- products ---------------------------------------------------------------------------------------


class ProductCreate(RequestBody):
    sku: Annotated[str, line(min_length=1, max_length=64)]
    name: Text200
    description: Description
    price: Price
    stock: Annotated[int, Meta(ge=0, le=MAX_STOCK)]
    category_id: UUID
    images: Images = msgspec.field(default_factory=list)
    status: ProductStatus = ProductStatus.DRAFT


class ProductUpdate(RequestBody):
    name: Text200 | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    price: Price | UnsetType = UNSET
    category_id: UUID | UnsetType = UNSET
    images: Images | UnsetType = UNSET
    status: ProductStatus | UnsetType = UNSET


class MerchantProduct(msgspec.Struct):
    """A product as its merchant sees it: drafts, archived ones, exact stock, moderation."""

    id: UUID
    merchant_id: UUID
    sku: str
    name: str
    description: str
    price: Price
    stock: int
    category_id: UUID
    images: list[str]
    status: ProductStatus
    suspended: bool
    suspension_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Product) -> MerchantProduct:
        return copy_into(cls, product, price=Price.of(product.price), suspended=product.is_suspended)


class MerchantProductPage(msgspec.Struct):
    items: list[MerchantProduct]
    next_cursor: str | None


class StockChange(RequestBody):
    delta: Annotated[int, Meta(ge=-1_000_000, le=1_000_000, description="Units to add (+) or remove (-)")]
    reason: Annotated[str, line(min_length=2, max_length=200)]


class StockMovementResponse(Copied):
    id: UUID
    product_id: UUID
    delta: int
    reason: str
    actor_id: UUID | None
    resulting_level: int
    created_at: datetime


# --- public -------------------------------------------------------------------------------------------


class MerchantRef(msgspec.Struct):
    id: UUID
    name: str

    @classmethod
    def of(cls, product: ProductSummary | PublicProduct) -> MerchantRef:
        return cls(id=product.merchant_id, name=product.merchant_name)


class ProductCard(msgspec.Struct):
    id: UUID
    name: str
    price: Price
    in_stock: bool
    image: str | None
    merchant: MerchantRef
    category_path: str
    created_at: datetime

    @classmethod
    def of(cls, summary: ProductSummary) -> ProductCard:
        # Field by field, not copy_into: twenty cards a listing page, and copy_into's checks and
        # msgspec.convert were 5 % of an uncached listing's CPU (docs/performance.md).
        return cls(
            id=summary.id,
            name=summary.name,
            price=Price.of(summary.price),
            in_stock=summary.in_stock,
            image=summary.image,
            merchant=MerchantRef.of(summary),
            category_path=summary.category_path,
            created_at=summary.created_at,
        )


class ProductCardPage(msgspec.Struct):
    items: list[ProductCard]
    next_cursor: str | None


class CategoryStepResponse(msgspec.Struct):
    id: UUID
    name: str
    slug: str


class ProductDetail(msgspec.Struct):
    id: UUID
    name: str
    description: str
    price: Price
    in_stock: bool
    images: list[str]
    merchant: MerchantRef
    category_id: UUID
    category_path: list[CategoryStepResponse]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: PublicProduct) -> ProductDetail:
        return copy_into(cls, product, price=Price.of(product.price), merchant=MerchantRef.of(product))
