"""Use case: a merchant's staff import many products at once (catalog uploads, the demo marketplace)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.catalog.create_product import NewProduct
from application.catalog.intake import ProductIntake
from application.catalog.references import require_category
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.catalog.products import ProductId, ProductStatus, StockMovement
from domain.errors import InvalidValue
from domain.identity.roles import Actor

MAX_IMPORT = 5_000


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedProduct(NewProduct):
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


@use_case
class ImportProducts(ProductIntake):
    """Add up to 5,000 products to a merchant's catalog in one transaction.

    Rules (those of ``CreateProduct``, checked for every item before anything
    is written, so one bad item writes nothing):
    - only the merchant's manager and staff import into it; anybody else sees
      a 404, as for a merchant that does not exist;
    - each product is a draft or active, with stock of zero or more, a
      positive price in the marketplace currency, and a category that exists;
    - a SKU the merchant already has is left as it is and counted, not an
      error: an import can be run again and adds only what is missing;
    - initial stock is the first line of each product's stock ledger;
    - the public listings are invalidated once, when anything listed was added.
    """

    async def __call__(self, command: ImportProductsCommand) -> ImportResult:
        if len(command.products) > MAX_IMPORT:
            raise InvalidValue(f"at most {MAX_IMPORT} products per import", field="products", rule="too_many")
        now = self.clock.now()
        products = [
            item.product(ProductId(self.ids.new_id()), command.merchant_id, self.currency, now)
            for item in command.products
        ]
        if len({product.sku for product in products}) != len(products):
            raise InvalidValue("a SKU appears twice in the import", field="sku", rule="duplicate")
        async with self.unit_of_work() as uow:
            access = await merchant_access(uow, command.actor, command.merchant_id, write=True)
            for category_id in {product.category_id for product in products}:
                await require_category(uow, category_id)
            is_open = access.merchant.is_open
            added_ids: set[ProductId] = set()
            for listed in (True, False):
                batch = [product for product in products if product.is_listed(is_open) is listed]
                added_ids.update(await uow.products.add_new(batch, listed=listed))
            added = [product for product in products if product.id in added_ids]
            await uow.stock_ledger.record_all(
                [
                    StockMovement.initial(self.ids.new_id(), product, command.actor.user_id)
                    for product in added
                    if product.stock
                ]
            )
            await uow.commit()
        if any(product.is_listed(is_open) for product in added):
            await self.cache.listings_changed()
        return ImportResult(added=len(added), already_there=len(products) - len(added))
