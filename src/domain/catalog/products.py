"""Products and the stock ledger."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType
from urllib.parse import urlparse
from uuid import UUID

from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.errors import Conflict, InvalidValue
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.text import bounded, moderation_reason, one_line

ProductId = NewType("ProductId", UUID)

_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
MAX_DESCRIPTION = 10_000
MAX_IMAGES = 10
MAX_PRICE_MINOR = 10**13
MAX_STOCK = 1_000_000_000
"""The most units one product can hold: well inside the database column, so no movement can overflow it."""


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


def product_sku(raw: str) -> str:
    value = raw.strip()
    if not _SKU.match(value):
        raise InvalidValue("a SKU has 1 to 64 letters, digits, dots, dashes or underscores", field="sku", rule="sku")
    return value


def product_name(raw: str) -> str:
    return bounded(one_line(raw), 1, 200, "a product name has 1 to 200 characters", field="name", rule="name_length")


def product_description(raw: str) -> str:
    message = f"a description has at most {MAX_DESCRIPTION} characters"
    return bounded(raw.strip(), 0, MAX_DESCRIPTION, message, field="description", rule="too_long")


def image_urls(raw: Sequence[str]) -> tuple[str, ...]:
    if len(raw) > MAX_IMAGES:
        raise InvalidValue(f"at most {MAX_IMAGES} images", field="images", rule="too_many")
    urls = []
    for url in raw:
        parsed = urlparse(url.strip())
        if parsed.scheme not in ("https", "http") or not parsed.netloc or len(url) > 2_000:
            raise InvalidValue("images are http(s) URLs", field="images", rule="url")
        urls.append(url.strip())
    return tuple(urls)


def price(amount_minor: int, currency: str, marketplace: Currency) -> Money:
    """A product price: positive, in the marketplace's own currency."""
    if currency.upper() != marketplace.code:
        raise InvalidValue(
            f"prices are in {marketplace.code}, the marketplace currency", field="price.currency", rule="currency"
        )
    if not 0 < amount_minor <= MAX_PRICE_MINOR:
        raise InvalidValue(
            "a price is a positive whole number of minor units", field="price.amount_minor", rule="price"
        )
    return Money(amount_minor, marketplace)


@dataclass(slots=True)
class Product:
    id: ProductId
    merchant_id: MerchantId
    sku: str
    name: str
    description: str
    price: Money
    stock: int
    category_id: CategoryId
    images: tuple[str, ...]
    status: ProductStatus
    created_at: datetime
    updated_at: datetime
    suspension_reason: str | None = None

    @classmethod
    def create(
        cls,
        *,
        id: ProductId,
        merchant_id: MerchantId,
        sku: str,
        name: str,
        description: str,
        price: Money,
        stock: int,
        category_id: CategoryId,
        images: Sequence[str],
        status: ProductStatus,
        now: datetime,
    ) -> Product:
        """A new product: a draft or active, never with negative stock, every field validated."""
        if status is ProductStatus.ARCHIVED:
            raise InvalidValue("a new product is a draft or active", field="status", rule="status")
        if stock < 0:
            raise InvalidValue("stock cannot be negative", field="stock", rule="non_negative")
        if stock > MAX_STOCK:
            raise InvalidValue(f"stock is at most {MAX_STOCK:,} units", field="stock", rule="stock_cap")
        return cls(
            id=id,
            merchant_id=merchant_id,
            sku=product_sku(sku),
            name=product_name(name),
            description=product_description(description),
            price=price,
            stock=stock,
            category_id=category_id,
            images=image_urls(images),
            status=status,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_suspended(self) -> bool:
        return self.suspension_reason is not None

    def is_listed(self, store_open: bool) -> bool:
        """Customers can see it: active, not suspended by moderators, in an approved store."""
        return store_open and self.status is ProductStatus.ACTIVE and not self.is_suspended

    def revise(
        self,
        now: datetime,
        *,
        name: str | None = None,
        description: str | None = None,
        price: Money | None = None,
        category_id: CategoryId | None = None,
        images: Sequence[str] | None = None,
        status: ProductStatus | None = None,
    ) -> None:
        """Change the fields given (``None`` keeps a field), validating each; stock moves elsewhere."""
        if name is not None:
            self.name = product_name(name)
        if description is not None:
            self.description = product_description(description)
        if price is not None:
            self.price = price
        if category_id is not None:
            self.category_id = category_id
        if images is not None:
            self.images = image_urls(images)
        if status is not None:
            self.change_status(status, now)
        self.updated_at = now

    def set_stock_level(self, level: int) -> None:
        """Set the level outright (a catalog import): the caller holds the row's lock and records the difference."""
        if level < 0:
            raise InvalidValue("stock cannot be negative", field="stock", rule="non_negative")
        self.stock = level

    def archive(self, now: datetime) -> None:
        self.status = ProductStatus.ARCHIVED
        self.updated_at = now

    def change_status(self, status: ProductStatus, now: datetime) -> None:
        if self.status is ProductStatus.ARCHIVED and status is not ProductStatus.ARCHIVED:
            raise Conflict("an archived product stays archived; create a new one", field="status")
        self.status = status
        self.updated_at = now

    def suspend(self, reason: str, now: datetime) -> None:
        self.suspension_reason = moderation_reason(reason)
        self.updated_at = now

    def reinstate(self, now: datetime) -> None:
        if self.suspension_reason is None:
            raise Conflict("the product is not suspended", field="status")
        self.suspension_reason = None
        self.updated_at = now


@dataclass(frozen=True, slots=True)
class StockMovement:
    """One line of the stock ledger: who moved how much, why, and the level it left."""

    id: UUID
    product_id: ProductId
    delta: int
    reason: str
    actor_id: UserId | None
    resulting_level: int
    created_at: datetime

    @classmethod
    def initial(cls, id: UUID, product: Product, actor_id: UserId | None) -> StockMovement:
        """A new product's first ledger line: the stock it starts with."""
        return cls(id, product.id, product.stock, INITIAL_STOCK, actor_id, product.stock, product.created_at)


INITIAL_STOCK = "initial stock"
"""The reason on a new product's first stock movement."""


def stock_reason(raw: str) -> str:
    message = "a stock movement needs a reason of 2 to 200 characters"
    return bounded(one_line(raw), 2, 200, message, field="reason", rule="reason")


def stock_delta(delta: int) -> int:
    if delta == 0 or abs(delta) > 1_000_000:
        raise InvalidValue(
            "delta is a non-zero whole number (at most 1,000,000 either way)", field="delta", rule="delta"
        )
    return delta
