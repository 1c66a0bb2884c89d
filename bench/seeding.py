"""The bench catalog, built through the application's use cases (a bulk path, not HTTP).

It reuses the demo seeder (admin, category tree, products imported in
batches by each store's manager through ``ImportProducts``) and adds what a
benchmark needs: 50 stores, 1,000 active customers, a small category under
its own parent (5 products, for ``category_small``), 64 well-stocked products
for ``checkout_spread`` and one for ``checkout_hot``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from application.catalog.apply_for_merchant import ApplyForMerchantCommand
from application.catalog.approve_merchant import ApproveMerchantCommand
from application.catalog.create_category import CreateCategoryCommand
from application.catalog.create_product import PriceInput
from application.catalog.import_products import ImportedProduct, ImportProductsCommand
from domain.catalog.categories import CategoryId
from domain.catalog.merchants import MerchantId, MerchantStatus
from domain.identity.roles import Actor, Role
from entrypoints.container import Container
from entrypoints.demo.catalog_data import STORES, demo_person
from entrypoints.demo.seed import DemoSeeder, SeedReport

STORE_COUNT = 50
SMALL_PARENT = "rarezas"
SMALL_CATEGORY = "rarezas-mapas"
SMALL_PRODUCTS = 5
SPREAD_PRODUCTS = 64
SPREAD_STOCK = 100_000
HOT_STOCK = 100_000
SPREAD_SKU = "BENCH-SPREAD-{:03d}"
HOT_SKU = "BENCH-HOT-001"
CUSTOMER_ROLE = "customer"

Progress = Callable[[str], None]


async def _stores(seeder: DemoSeeder, container: Container) -> list[tuple[Actor, MerchantId]]:
    """The five demo stores, then generated ones up to ``STORE_COUNT``, each approved."""
    stores: list[tuple[Actor, MerchantId]] = []
    for number in range(1, STORE_COUNT + 1):
        person = demo_person("manager", number)
        manager = await seeder.active_customer(person)
        if number <= len(STORES):
            name, legal_id, description = (
                STORES[number - 1].name,
                STORES[number - 1].legal_id,
                STORES[number - 1].description,
            )
        else:
            name, legal_id = f"Tienda {number:02d}", f"900200{number:03d}-{number % 10}"
            description = f"Tienda de prueba número {number}."
        merchant = await container.catalog.apply_for_merchant(
            ApplyForMerchantCommand(
                actor=Actor(user_id=manager.id, role=manager.role),
                name=name,
                legal_id=legal_id,
                description=description,
                contact_email=person.email,
            )
        )
        if merchant.status is MerchantStatus.PENDING:
            await container.catalog.approve_merchant(
                ApproveMerchantCommand(actor=seeder.admin, merchant_id=merchant.id)
            )
        stores.append((Actor(user_id=manager.id, role=Role.MERCHANT_MANAGER), merchant.id))
    return stores


def _item(sku: str, name: str, price: int, stock: int, *, category: CategoryId, currency: str) -> ImportedProduct:
    return ImportedProduct(
        sku=sku,
        name=name,
        description=f"{name}. Producto de prueba del banco de rendimiento.",
        price=PriceInput(amount_minor=price, currency=currency),
        stock=stock,
        category_id=category,
        images=[],
    )


async def _bench_products(
    seeder: DemoSeeder, container: Container, categories: dict[str, CategoryId], stores: list[tuple[Actor, MerchantId]]
) -> None:
    admin = seeder.admin
    parent = await container.catalog.create_category(
        CreateCategoryCommand(actor=admin, name="Rarezas", slug=SMALL_PARENT)
    )
    small = await container.catalog.create_category(
        CreateCategoryCommand(actor=admin, name="Mapas antiguos", slug=SMALL_CATEGORY, parent_id=parent.id)
    )
    currency = container.settings.currency
    items = [
        _item(
            f"BENCH-SMALL-{n}",
            f"Mapa antiguo de Colombia {n}",
            5_000_000 + n * 100_000,
            3,
            category=small.id,
            currency=currency,
        )
        for n in range(SMALL_PRODUCTS)
    ]
    stock_category = categories["cafe"] if "cafe" in categories else next(iter(categories.values()))
    # Spread over the stores, as distinct buyers' purchases are: each store numbers its invoices
    # from its own gap-free sequence, so one store would serialise every payment.
    by_store: dict[int, list[ImportedProduct]] = {len(stores) - 1: items}
    for n in range(SPREAD_PRODUCTS):
        by_store.setdefault(n % len(stores), []).append(
            _item(
                SPREAD_SKU.format(n),
                f"Café de origen lote {n}",
                2_500_000,
                SPREAD_STOCK,
                category=stock_category,
                currency=currency,
            )
        )
    by_store[len(stores) - 1].append(
        _item(HOT_SKU, "Café edición limitada", 3_900_000, HOT_STOCK, category=stock_category, currency=currency)
    )
    for store, products in by_store.items():
        manager, merchant_id = stores[store]
        await container.catalog.import_products(
            ImportProductsCommand(actor=manager, merchant_id=merchant_id, products=products)
        )


async def _customers(seeder: DemoSeeder, count: int, progress: Progress) -> None:
    """Signed up and activated concurrently: the hasher's own bound keeps the cores busy, no more."""
    slots = asyncio.Semaphore(8)
    done = 0

    async def one(number: int) -> None:
        nonlocal done
        async with slots:
            await seeder.active_customer(demo_person(CUSTOMER_ROLE, number))
        done += 1
        if done % 100 == 0:
            progress(f"customers: {done}/{count}")

    await asyncio.gather(*(one(number) for number in range(1, count + 1)))


async def seed_bench(container: Container, *, products: int, customers: int, progress: Progress) -> None:
    seeder = DemoSeeder(container, SeedReport())
    await seeder.admin_account()
    categories = await seeder.categories()
    progress(f"categories: {len(categories)}")
    stores = await _stores(seeder, container)
    progress(f"stores: {len(stores)}")
    await seeder.products(products, categories, stores, lambda _: None)
    progress(f"products: {products}")
    await _bench_products(seeder, container, categories, stores)
    await _customers(seeder, customers, progress)
