"""`commerce seed-demo` builds a browsable demo marketplace through the use cases, and only once."""

import asyncio
import re

import pytest
from click.testing import CliRunner

from entrypoints.cli import main
from entrypoints.demo.catalog_data import CATEGORIES, DEMO_PASSWORD, STORES
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import log_in

PRODUCTS = 60


@pytest.fixture
def cli_env(settings):
    return {
        "COMMERCE_DATABASE_URL": settings.database_url,
        "COMMERCE_REDIS_URL": settings.redis_url,
        "COMMERCE_LOG_LEVEL": "WARNING",
        "COMMERCE_CONSOLE_NOTIFICATIONS": "false",
    }


async def _seed(runner: CliRunner, env: dict, products: int):
    # The CLI runs its own event loop: give it a thread of its own, away from the test's loop.
    return await asyncio.to_thread(runner.invoke, main, ["seed-demo", "--products", str(products)], env=env)


def _added(output: str) -> dict[str, int]:
    counts = re.search(
        r"(\d+) people, (\d+) stores, (\d+) categories and (\d+) products added \((\d+) products were already",
        output,
    )
    assert counts is not None, output
    people, stores, categories, products, already = map(int, counts.groups())
    return {"people": people, "stores": stores, "categories": categories, "products": products, "already": already}


async def _public_products(client) -> list[dict]:
    found, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/products", params=params)).json()
        found.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found


async def test_seed_demo_builds_a_browsable_marketplace_and_a_second_run_adds_nothing(cli_env, settings):
    runner = CliRunner()
    first = await _seed(runner, cli_env, PRODUCTS)
    assert first.exit_code == 0, first.output
    assert _added(first.output) == {
        "people": 2 + 20 + 2 * len(STORES),
        "stores": len(STORES),
        "categories": len(CATEGORIES),
        "products": PRODUCTS,
        "already": 0,
    }
    assert DEMO_PASSWORD in first.output
    assert "admin@demo.commerce.example" in first.output

    second = await _seed(runner, cli_env, PRODUCTS)
    assert second.exit_code == 0, second.output
    assert _added(second.output) == {"people": 0, "stores": 0, "categories": 0, "products": 0, "already": PRODUCTS}

    async with app_client(settings) as client:
        products = await _public_products(client)
        assert len(products) == PRODUCTS
        assert all(product["price"]["amount_minor"] > 0 for product in products)
        categories = (await client.get("/api/v1/categories")).json()
        assert len(categories["items"] if isinstance(categories, dict) else categories) == len(CATEGORIES)
        searched = (await client.get("/api/v1/products", params={"q": "talla"})).json()["items"]
        assert searched
        assert all("talla" in product["name"].lower() for product in searched)
        admin = await log_in(client, "admin@demo.commerce.example", DEMO_PASSWORD)
        assert admin["user"]["role"] == "admin"


async def test_a_larger_seed_adds_only_the_missing_products(cli_env):
    runner = CliRunner()
    assert (await _seed(runner, cli_env, 10)).exit_code == 0
    more = await _seed(runner, cli_env, 25)
    assert more.exit_code == 0, more.output
    assert _added(more.output)["products"] == 15
    assert _added(more.output)["already"] == 10


async def test_piped_output_shows_whole_progress_lines_not_a_bare_label(cli_env):
    result = await _seed(CliRunner(), cli_env, 10)
    assert result.exit_code == 0, result.output
    assert "demo products: 10/10 (100%)" in result.output.splitlines()
