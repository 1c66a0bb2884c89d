"""Use cases: a store's staff manage its products and stock; moderators suspend products."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import store_access
from application.identity.policies import require_staff
from application.pagination import Page, keyset_page, page_size
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
    stock_delta,
    stock_reason,
)
from domain.errors import InvalidValue, NotFound, OutOfStock
from domain.identity.roles import Actor
from domain.money import Currency


@dataclass(frozen=True, slots=True)
class PriceInput:
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class CreateProductCommand:
    actor: Actor
    merchant_id: MerchantId
    sku: str
    name: str
    description: str
    price: PriceInput
    stock: int
    category_id: CategoryId
    images: list[str]
    status: ProductStatus = ProductStatus.DRAFT


@dataclass(frozen=True, slots=True)
class UpdateProductCommand:
    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId
    name: str | None = None
    description: str | None = None
    price: PriceInput | None = None
    category_id: CategoryId | None = None
    images: list[str] | None = None
    status: ProductStatus | None = None


@dataclass(frozen=True, slots=True)
class StockChangeCommand:
    actor: Actor
    merchant_id: MerchantId
    product_id: ProductId
    delta: int
    reason: str


@dataclass(frozen=True, slots=True)
class StoreProductsQuery:
    actor: Actor
    merchant_id: MerchantId
    status: ProductStatus | None = None
    text: str | None = None
    after: ProductId | None = None
    limit: int = 20


class ManageProducts:
    """The store's own catalog.

    Only the store's manager and staff write it; platform staff may read it;
    everybody else sees a 404, as for a product that does not exist. SKUs are
    unique per store; prices are positive and in the marketplace currency;
    the category must exist. Products are archived, never deleted: orders
    point at them. Every write tells the public cache what changed.
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

    async def create(self, command: CreateProductCommand) -> Product:
        now = self._clock.now()
        if command.status is ProductStatus.ARCHIVED:
            raise InvalidValue("a new product is a draft or active", field="status", rule="status")
        if command.stock < 0:
            raise InvalidValue("stock cannot be negative", field="stock", rule="non_negative")
        product = Product(
            id=ProductId(self._ids.new_id()),
            merchant_id=command.merchant_id,
            sku=sku(command.sku),
            name=product_name(command.name),
            description=product_description(command.description),
            price=price(command.price.amount_minor, command.price.currency, self._currency),
            stock=command.stock,
            category_id=command.category_id,
            images=image_urls(command.images),
            status=command.status,
            created_at=now,
            updated_at=now,
        )
        async with self._unit_of_work() as uow:
            access = await store_access(uow, command.actor, command.merchant_id, write=True)
            await self._require_category(uow, product.category_id)
            listed = product.is_listed(access.merchant.is_open)
            await uow.products.add(product, listed=listed)
            if product.stock:
                await uow.stock_ledger.record(
                    StockMovement(
                        id=self._ids.new_id(),
                        product_id=product.id,
                        delta=product.stock,
                        reason="initial stock",
                        actor_id=command.actor.user_id,
                        resulting_level=product.stock,
                        created_at=now,
                    )
                )
            await uow.commit()
        if listed:
            await self._cache.listings_changed()
        return product

    async def update(self, command: UpdateProductCommand) -> Product:
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            access = await store_access(uow, command.actor, command.merchant_id, write=True)
            product = await self._own_product(uow, command.merchant_id, command.product_id, for_update=True)
            was_listed = product.is_listed(access.merchant.is_open)
            if command.name is not None:
                product.name = product_name(command.name)
            if command.description is not None:
                product.description = product_description(command.description)
            if command.price is not None:
                product.price = price(command.price.amount_minor, command.price.currency, self._currency)
            if command.category_id is not None:
                await self._require_category(uow, command.category_id)
                product.category_id = command.category_id
            if command.images is not None:
                product.images = image_urls(command.images)
            if command.status is not None:
                product.change_status(command.status, now)
            product.updated_at = now
            listed = product.is_listed(access.merchant.is_open)
            await uow.products.save(product, listed=listed)
            await uow.commit()
        await self._cache.products_changed([product.id])
        if listed or was_listed:
            await self._cache.listings_changed()
        return product

    async def archive(self, actor: Actor, merchant_id: MerchantId, product_id: ProductId) -> Product:
        async with self._unit_of_work() as uow:
            access = await store_access(uow, actor, merchant_id, write=True)
            product = await self._own_product(uow, merchant_id, product_id, for_update=True)
            was_listed = product.is_listed(access.merchant.is_open)
            product.archive(self._clock.now())
            await uow.products.save(product, listed=False)
            await uow.commit()
        await self._cache.products_changed([product.id])
        if was_listed:
            await self._cache.listings_changed()
        return product

    async def get(self, actor: Actor, merchant_id: MerchantId, product_id: ProductId) -> Product:
        async with self._unit_of_work() as uow:
            await store_access(uow, actor, merchant_id, write=False)
            return await self._own_product(uow, merchant_id, product_id)

    async def list(self, query: StoreProductsQuery) -> Page[Product, ProductId]:
        limit = page_size(query.limit)
        async with self._unit_of_work() as uow:
            await store_access(uow, query.actor, query.merchant_id, write=False)
            rows = await uow.products.list_for_store(
                query.merchant_id, status=query.status, text=query.text, after=query.after, limit=limit + 1
            )
        return keyset_page(rows, limit, lambda product: product.id)

    async def change_stock(self, command: StockChangeCommand) -> StockMovement:
        """Apply a stock movement atomically, never below zero (409), and record it in the ledger."""
        delta = stock_delta(command.delta)
        reason = stock_reason(command.reason)
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            access = await store_access(uow, command.actor, command.merchant_id, write=True)
            product = await self._own_product(uow, command.merchant_id, command.product_id)
            level = await uow.products.adjust_stock(product.id, delta, now)
            if level is None:
                raise OutOfStock("not enough stock for this change", field="delta")
            movement = StockMovement(
                id=self._ids.new_id(),
                product_id=product.id,
                delta=delta,
                reason=reason,
                actor_id=command.actor.user_id,
                resulting_level=level,
                created_at=now,
            )
            await uow.stock_ledger.record(movement)
            await uow.commit()
        availability_flipped = level in {0, delta}  # it just ran out, or just came back
        if availability_flipped:
            await self._cache.products_changed([product.id])
            if product.is_listed(access.merchant.is_open):
                await self._cache.listings_changed()
        return movement

    @staticmethod
    async def _own_product(
        uow: UnitOfWork, merchant_id: MerchantId, product_id: ProductId, *, for_update: bool = False
    ) -> Product:
        product = await uow.products.get(product_id, merchant_id=merchant_id, for_update=for_update)
        if product is None:
            raise NotFound("no such product")
        return product

    @staticmethod
    async def _require_category(uow: UnitOfWork, category_id: CategoryId) -> None:
        if await uow.categories.get(category_id) is None:
            raise InvalidValue("the category does not exist", field="category_id", rule="unknown_category")


@dataclass(frozen=True, slots=True)
class ModerationCommand:
    actor: Actor
    product_id: ProductId
    reason: str | None = None


class ModerateProducts:
    """Support agents and admins suspend a product (hidden at once) and reinstate it."""

    def __init__(
        self, *, unit_of_work: Callable[[], UnitOfWork], clock: Clock, cache: CatalogCacheInvalidation
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._cache = cache

    async def suspend(self, command: ModerationCommand) -> Product:
        return await self._moderate(command, suspend=True)

    async def reinstate(self, command: ModerationCommand) -> Product:
        return await self._moderate(command, suspend=False)

    async def _moderate(self, command: ModerationCommand, *, suspend: bool) -> Product:
        require_staff(command.actor)
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            product = await uow.products.get(command.product_id, for_update=True)
            if product is None:
                raise NotFound("no such product")
            merchant = await uow.merchants.get(product.merchant_id)
            if suspend:
                product.suspend(command.reason or "", now)
            else:
                product.reinstate(now)
            await uow.products.save(product, listed=product.is_listed(merchant is not None and merchant.is_open))
            await uow.commit()
        await self._cache.products_changed([product.id])
        await self._cache.listings_changed()
        return product
