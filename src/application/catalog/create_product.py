"""Use case: a merchant's staff add a product to its catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.catalog.access import merchant_access
from application.catalog.intake import ProductIntake
from application.catalog.references import require_category
from application.use_case import use_case
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId
from domain.catalog.products import Product, ProductId, ProductStatus, StockMovement, price
from domain.identity.roles import Actor
from domain.money import Currency


@dataclass(frozen=True, slots=True)
class PriceInput:
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewProduct:
    """A product as staff describe it, one at a time (``CreateProductCommand``) or in an import."""

    sku: str
    name: str
    description: str
    price: PriceInput
    stock: int
    category_id: CategoryId
    images: list[str]
    status: ProductStatus = ProductStatus.DRAFT

    def product(self, id: ProductId, merchant_id: MerchantId, currency: Currency, now: datetime) -> Product:
        """The validated ``Product``; a price outside ``currency`` is refused."""
        return Product.create(
            id=id,
            merchant_id=merchant_id,
            sku=self.sku,
            name=self.name,
            description=self.description,
            price=price(self.price.amount_minor, self.price.currency, currency),
            stock=self.stock,
            category_id=self.category_id,
            images=self.images,
            status=self.status,
            now=now,
        )


@dataclass(frozen=True, slots=True)
class CreateProductCommand(NewProduct):
    actor: Actor
    merchant_id: MerchantId


@use_case
class CreateProduct(ProductIntake):
    """Add a product to the merchant's catalog.

    Rules:
    - only the merchant's manager and staff write its catalog; anybody else
      sees a 404, as for a merchant that does not exist;
    - a new product is a draft or active, with stock of zero or more;
    - SKUs are unique per merchant (409); prices are positive and in the
      marketplace currency; the category must exist (422);
    - initial stock is the first line of the stock ledger;
    - the public listings are invalidated when the product is listed at once.
    """

    async def __call__(self, command: CreateProductCommand) -> Product:
        now = self.clock.now()
        product = command.product(ProductId(self.ids.new_id()), command.merchant_id, self.currency, now)
        async with self.unit_of_work() as uow:
            access = await merchant_access(uow, command.actor, command.merchant_id, write=True)
            await require_category(uow, product.category_id)
            listed = product.is_listed(access.merchant.is_open)
            await uow.products.add(product, listed=listed)
            if product.stock:
                await uow.stock_ledger.record(StockMovement.initial(self.ids.new_id(), product, command.actor.user_id))
            await uow.commit()
        if listed:
            await self.cache.listings_changed()
        return product
