"""What the scenarios ask for, read from the seeded database: paths, ids, users, words."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

import asyncpg

from bench.seeding import CUSTOMER_ROLE, HOT_SKU, SMALL_PARENT, SPREAD_PRODUCTS, SPREAD_SKU, STORE_COUNT
from entrypoints.demo.catalog_data import DEMO_PASSWORD, demo_person, demo_product

SORTS = ("relevance", "newest", "price_asc", "price_desc")
FLOOR_MAX = 999_999  # below every seeded price (the cheapest is 15,000 pesos = 1,500,000 minor units)
PRODUCTS = "/api/v1/products"


@dataclass(frozen=True, slots=True)
class Fixtures:
    list_hit: list[str]
    list_miss: list[str]
    search: list[str]
    search_common: list[str]
    category_small: list[str]
    detail: list[str]
    product_ids: list[str]
    spread_ids: list[str]
    hot_id: str
    customers: list[str]
    password: str = DEMO_PASSWORD

    @property
    def common_words(self) -> list[str]:
        return [path.split("q=")[1].split("&")[0] for path in self.search_common]


def _vocabulary(scale: int) -> tuple[list[str], list[str]]:
    """(searchable words in a few per cent of names, the most common word)."""
    sample = min(scale, 4_000)
    counts: Counter[str] = Counter()
    for number in range(sample):
        counts.update(
            {word for word in re.findall(r"\w+", demo_product(number, STORE_COUNT).name.lower()) if len(word) > 3}
        )
    rare = sorted(word for word, count in counts.items() if 0.002 * sample <= count <= 0.03 * sample)
    return rare, [word for word, _ in counts.most_common(1)]


async def load(database_url: str, scale: int, customers: int) -> Fixtures:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT id::text FROM products WHERE listed ORDER BY id LIMIT 2000")
        leaves = [
            row["slug"]
            for row in await connection.fetch(
                "SELECT slug FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)"
            )
        ]
        roots = [row["slug"] for row in await connection.fetch("SELECT slug FROM categories WHERE parent_id IS NULL")]
        spread = await connection.fetch(
            "SELECT id::text FROM products WHERE sku LIKE $1 ORDER BY sku", SPREAD_SKU.split("{")[0] + "%"
        )
        hot = await connection.fetchval("SELECT id::text FROM products WHERE sku = $1", HOT_SKU)
    finally:
        await connection.close()
    rng = random.Random(2026)
    product_ids = [row["id"] for row in rows]
    rare, common = _vocabulary(scale)
    list_hit = [PRODUCTS, *(f"{PRODUCTS}?sort={sort}" for sort in SORTS[1:])]
    list_hit += [f"{PRODUCTS}?category={slug}&sort={rng.choice(SORTS)}" for slug in rng.sample(leaves + roots, 12)]
    list_miss = [f"{PRODUCTS}?sort={sort}" for sort in SORTS]
    list_miss += [f"{PRODUCTS}?category={slug}&sort={sort}" for slug in leaves + roots for sort in SORTS]
    search = [f"{PRODUCTS}?q={quote(word)}" for word in rare]
    search_common = [f"{PRODUCTS}?q={quote(word)}" for word in common] + [f"{PRODUCTS}?q=c"]
    if len(spread) < SPREAD_PRODUCTS or hot is None:
        raise RuntimeError("the bench products are missing: reseed with --fresh")
    return Fixtures(
        list_hit=list_hit,
        list_miss=list_miss,
        search=search,
        search_common=search_common,
        category_small=[f"{PRODUCTS}?category={SMALL_PARENT}&sort={sort}" for sort in SORTS],
        detail=[f"{PRODUCTS}/{product_id}" for product_id in rng.sample(product_ids, min(200, len(product_ids)))],
        product_ids=product_ids,
        spread_ids=[row["id"] for row in spread],
        hot_id=hot,
        customers=[demo_person(CUSTOMER_ROLE, number).email for number in range(1, customers + 1)],
    )


async def oversell_check(database_url: str, product_id: str, initial_stock: int) -> dict[str, int | bool]:
    """Stock never below zero, the ledger adds up to the stock, and what orders hold is what left the stock."""
    connection = await asyncpg.connect(database_url)
    try:
        stock = await connection.fetchval("SELECT stock FROM products WHERE id = $1::uuid", product_id)
        ledger = await connection.fetchval(
            "SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE product_id = $1::uuid", product_id
        )
        held = await connection.fetchval(
            "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE l.product_id = $1::uuid AND o.status NOT IN ('expired', 'cancelled', 'refunded')",
            product_id,
        )
    finally:
        await connection.close()
    return {
        "stock": stock,
        "ledger_sum": ledger,
        "held_by_orders": held,
        "sold": initial_stock - stock,
        "ok": stock >= 0 and ledger == stock and initial_stock - stock == held,
    }
