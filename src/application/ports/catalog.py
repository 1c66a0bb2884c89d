"""Ports of the catalog use cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.catalog.categories import Category, CategoryId
from domain.catalog.imports import CatalogImport, CatalogImportId
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus
from domain.catalog.products import Product, ProductId, ProductStatus, StockMovement
from domain.identity.roles import UserId
from domain.money import Money


class MerchantRepository(Protocol):
    async def add(self, merchant: Merchant) -> None:
        """Raises ``Conflict`` (field ``legal_id``) for a legal id already registered."""
        ...

    async def save(self, merchant: Merchant) -> None: ...

    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None: ...

    async def of_applicant(self, user_id: UserId) -> Merchant | None: ...

    async def list(self, *, status: MerchantStatus | None, after: MerchantId | None, limit: int) -> list[Merchant]: ...


class MembershipRepository(Protocol):
    async def of_user(self, user_id: UserId) -> Membership | None: ...

    async def of_store(self, merchant_id: MerchantId) -> list[Membership]: ...

    async def add(self, membership: Membership) -> None:
        """Raises ``Conflict`` when the user already works for a store."""
        ...

    async def remove(self, merchant_id: MerchantId, user_id: UserId) -> None: ...


class CategoryRepository(Protocol):
    async def get(self, category_id: CategoryId, *, for_update: bool = False) -> Category | None: ...

    async def all(self) -> list[Category]: ...

    async def add(self, category: Category) -> None:
        """Raises ``Conflict`` (field ``slug``) for a slug already used."""
        ...

    async def save(self, category: Category, *, previous_path: str) -> None:
        """Store the category and re-root its descendants' paths when its path changed."""
        ...

    async def delete(self, category_id: CategoryId) -> None: ...

    async def has_children(self, category_id: CategoryId) -> bool: ...

    async def has_products(self, category_id: CategoryId) -> bool: ...

    async def product_ids_under(self, path: str) -> list[ProductId]: ...


class ProductRepository(Protocol):
    async def add(self, product: Product, *, listed: bool) -> None:
        """Raises ``Conflict`` (field ``sku``) for a SKU the store already uses."""
        ...

    async def add_new(self, products: Sequence[Product], *, listed: bool) -> list[ProductId]:
        """Add in one statement the products whose SKU their store does not use yet; the ids added."""
        ...

    async def save(self, product: Product, *, listed: bool) -> None: ...

    async def of_skus(self, merchant_id: MerchantId, skus: Sequence[str], *, for_update: bool) -> list[Product]:
        """The store's products with these SKUs (locked for the transaction when ``for_update``)."""
        ...

    async def put_all(self, products: Sequence[tuple[Product, bool]]) -> None:
        """Insert or update, by store and SKU, each product with whether it is listed, in one statement.

        Unlike :meth:`save`, it writes the stock too: callers hold the rows'
        locks (:meth:`of_skus`) and record the change in the stock ledger.
        """
        ...

    async def get(
        self, product_id: ProductId, *, merchant_id: MerchantId | None = None, for_update: bool = False
    ) -> Product | None: ...

    async def list_for_store(
        self,
        merchant_id: MerchantId,
        *,
        status: ProductStatus | None,
        text: str | None,
        after: ProductId | None,
        limit: int,
    ) -> list[Product]: ...

    async def adjust_stock(self, product_id: ProductId, delta: int, now: datetime) -> int | None:
        """Apply ``delta`` atomically; the new level, or ``None`` when it would leave 0..``MAX_STOCK``."""
        ...

    async def adjust_stock_and_record(
        self,
        product_id: ProductId,
        delta: int,
        now: datetime,
        *,
        movement_id: UUID,
        reason: str,
        actor_id: UserId | None,
    ) -> int | None:
        """``adjust_stock`` and, when the stock moved, its stock-ledger row (with the level it left), as one write."""
        ...

    async def relist_store(self, merchant_id: MerchantId, *, store_open: bool) -> list[ProductId]:
        """Recompute which of the store's products customers can see; the ids whose visibility changed."""
        ...


class StockLedger(Protocol):
    async def record(self, movement: StockMovement) -> None: ...

    async def record_all(self, movements: Sequence[StockMovement]) -> None:
        """Record many movements in one statement."""
        ...

    async def of_product(self, product_id: ProductId, *, limit: int) -> list[StockMovement]: ...


class CatalogImportRepository(Protocol):
    """Uploaded catalog files and their processing; workers claim them under a lease."""

    async def add(self, catalog_import: CatalogImport, content: bytes) -> None: ...

    async def get(self, import_id: CatalogImportId, *, merchant_id: MerchantId) -> CatalogImport | None: ...

    async def content(self, import_id: CatalogImportId) -> bytes: ...

    async def claim_next(self, now: datetime, lease: timedelta) -> CatalogImport | None:
        """Claim the oldest pending import, or one whose lease expired, skipping those other workers hold."""
        ...

    async def extend_lease(self, import_id: CatalogImportId, attempt: int, until: datetime) -> bool:
        """Push the lease of the claim made at ``attempt``; False when that claim has been lost."""
        ...

    async def settle(self, catalog_import: CatalogImport) -> bool:
        """Store the outcome if the claim that produced it (its ``attempts``) still holds; False otherwise."""
        ...


class ProductSort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"


@dataclass(frozen=True, slots=True)
class ProductQuery:
    text: str | None = None
    category: str | None = None
    merchant_id: MerchantId | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    sort: ProductSort = ProductSort.RELEVANCE

    @property
    def effective_sort(self) -> ProductSort:
        """Relevance needs words to rank by; without them it is newest first."""
        return ProductSort.NEWEST if self.sort is ProductSort.RELEVANCE and not self.text else self.sort


Position = tuple[str | int | float, ...]
"""Where a keyset page ends: the sort key values of its last product."""


@dataclass(frozen=True, slots=True)
class ProductSummary:
    id: ProductId
    name: str
    price: Money
    in_stock: bool
    image: str | None
    merchant_id: MerchantId
    merchant_name: str
    category_path: str
    created_at: datetime
    position: Position


@dataclass(frozen=True, slots=True)
class CategoryStep:
    id: CategoryId
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class PublicProduct:
    id: ProductId
    name: str
    description: str
    price: Money
    in_stock: bool
    images: tuple[str, ...]
    merchant_id: MerchantId
    merchant_name: str
    category_id: CategoryId
    category_path: tuple[CategoryStep, ...]
    created_at: datetime
    updated_at: datetime


class CatalogReader(Protocol):
    """The public read side: only listed products (active, not suspended, approved store)."""

    async def search(self, query: ProductQuery, *, after: Position | None, limit: int) -> list[ProductSummary]: ...

    async def product(self, product_id: ProductId) -> PublicProduct | None: ...


class CatalogCacheInvalidation(Protocol):
    """Told after commit what changed, so cached public pages of it are never served again."""

    async def products_changed(self, product_ids: Sequence[ProductId]) -> None: ...

    async def listings_changed(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A page lookup's outcome: the bytes on a hit; on a miss, where to store them (None: do not store)."""

    body: bytes | None
    store_under: str | None


class CatalogPageCache(Protocol):
    """Read-through cache of public catalog pages, as the encoded bytes of the response.

    A miss carries where to store the page computed next, fixed *before*
    computing it, so a page can never outlive a write that happened meanwhile
    (ADR 0005). An unreachable cache is a miss, and storing is then a no-op.
    """

    async def listing_page(self, fingerprint: str) -> CachedPage: ...

    async def product_page(self, product_id: ProductId) -> CachedPage: ...

    async def store(self, page: CachedPage, body: bytes) -> None: ...
