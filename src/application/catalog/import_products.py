"""Use case: a store's staff import many products at once (catalog uploads, the demo marketplace)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from application.catalog.access import store_access
from application.catalog.products import PriceInput
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator, UnitOfWork
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import (
    Product,
    ProductId,
    ProductStatus,
    StockMovement,
    image_urls,
    price,
    product_description,
    product_name,
    sku,
)
from domain.errors import InvalidValue
from domain.identity.roles import Actor
from domain.money import Currency

MAX_IMPORT = 5_000


@dataclass(frozen=True, slots=True)
class ImportedProduct:
    sku: str
    name: str
    description: str
    price: PriceInput
    stock: int
    category_id: CategoryId
    images: list[str]
    status: ProductStatus = ProductStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class ImportProductsCommand:
    actor: Actor
    merchant_id: MerchantId
    products: Sequence[ImportedProduct]


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    already_there: int


class ImportProducts:
    """Add up to 5,000 products to a store in one transaction.

    Rules (those of creating one product, checked for every item before
    anything is written, so a bad item writes nothing):
    - only the store's manager and staff import into it; anybody else sees a
      404, as for a store that does not exist;
    - each product is a draft or active, with stock of zero or more, a
      positive price in the marketplace currency, and a category that exists;
    - a SKU the store already has is left as it is and counted, not an error:
      an import can be run again and adds only what is missing;
    - initial stock is the first line of each product's stock ledger;
    - the public listings are invalidated once, when anything listed was added.
    """

    def __init__(
        self,
        *,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        ids: IdGenerator,
        currency: Currency,
        cache: CatalogCacheInvalidation,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._ids = ids
        self._currency = currency
        self._cache = cache

    async def __call__(self, command: ImportProductsCommand) -> ImportResult:
        if len(command.products) > MAX_IMPORT:
            raise InvalidValue(f"at most {MAX_IMPORT} products per import", field="products", rule="too_many")
        now = self._clock.now()
        products = [self._product(command.merchant_id, item, now) for item in command.products]
        if len({product.sku for product in products}) != len(products):
            raise InvalidValue("a SKU appears twice in the import", field="sku", rule="duplicate")
        async with self._unit_of_work() as uow:
            access = await store_access(uow, command.actor, command.merchant_id, write=True)
            for category_id in {product.category_id for product in products}:
                if await uow.categories.get(category_id) is None:
                    raise InvalidValue("the category does not exist", field="category_id", rule="unknown_category")
            added_ids: set[ProductId] = set()
            for listed in (True, False):
                batch = [product for product in products if product.is_listed(access.merchant.is_open) is listed]
                added_ids.update(await uow.products.add_new(batch, listed=listed))
            added = [product for product in products if product.id in added_ids]
            await uow.stock_ledger.record_all(
                [
                    StockMovement(
                        id=self._ids.new_id(),
                        product_id=product.id,
                        delta=product.stock,
                        reason="initial stock",
                        actor_id=command.actor.user_id,
                        resulting_level=product.stock,
                        created_at=now,
                    )
                    for product in added
                    if product.stock
                ]
            )
            await uow.commit()
        if any(product.is_listed(access.merchant.is_open) for product in added):
            await self._cache.listings_changed()
        return ImportResult(added=len(added), already_there=len(products) - len(added))

    def _product(self, merchant_id: MerchantId, item: ImportedProduct, now: datetime) -> Product:
        if item.status is ProductStatus.ARCHIVED:
            raise InvalidValue("a new product is a draft or active", field="status", rule="status")
        if item.stock < 0:
            raise InvalidValue("stock cannot be negative", field="stock", rule="non_negative")
        return Product(
            id=ProductId(self._ids.new_id()),
            merchant_id=merchant_id,
            sku=sku(item.sku),
            name=product_name(item.name),
            description=product_description(item.description),
            price=price(item.price.amount_minor, item.price.currency, self._currency),
            stock=item.stock,
            category_id=item.category_id,
            images=image_urls(item.images),
            status=item.status,
            created_at=now,
            updated_at=now,
        )
