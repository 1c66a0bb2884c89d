"""Stores, categories, products, stock and public browsing over HTTP on real PostgreSQL and Redis."""

import asyncio
import dataclasses

import pytest
from sqlalchemy import event, text

from tests.e2e.catalog_flows import (
    add_staff,
    create_category,
    create_product,
    open_store,
    product_body,
    public_ids,
)
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in

PROBLEM = "application/problem+json"


@pytest.fixture
async def admin_tokens(client):
    admin = await create_admin(client)
    return await log_in(client, admin["email"])


@pytest.fixture
async def shoes(client, admin_tokens):
    clothing = await create_category(client, admin_tokens, "Ropa")
    return await create_category(client, admin_tokens, "Zapatos", clothing["id"])


async def test_onboarding_to_public_listing_and_suspensions_that_act_at_once(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens, name="Calzado Andino")
    decisions = await client.get(
        "/api/v1/admin/outbox",
        params={"recipient": store.manager_person["email"], "kind": "merchant_approved"},
        headers=bearer(admin_tokens),
    )
    assert len(decisions.json()["items"]) == 1

    staff = await add_staff(client, store, admin_tokens)
    assert staff["user"]["role"] == "merchant_staff"
    draft = await create_product(client, store.id, staff, shoes["id"], name="Zapatos de cuero", status="draft")
    assert draft["id"] not in await public_ids(client)
    activated = await client.patch(
        f"/api/v1/merchants/{store.id}/products/{draft['id']}", json={"status": "active"}, headers=bearer(staff)
    )
    assert activated.status_code == 200
    product_id = draft["id"]

    # Visible in the listing, in search, in its category's ancestors, and on its own page (cache now warm).
    assert product_id in await public_ids(client)
    assert product_id in await public_ids(client, q="zapat")
    assert product_id in await public_ids(client, category="ropa")
    detail = await client.get(f"/api/v1/products/{product_id}")
    assert detail.status_code == 200
    assert detail.json()["merchant"]["name"] == "Calzado Andino"
    assert [step["slug"] for step in detail.json()["category_path"]] == ["ropa", "zapatos"]
    assert (await client.get(f"/api/v1/merchants/{store.id}")).json()["name"] == "Calzado Andino"

    suspended = await client.post(
        f"/api/v1/admin/merchants/{store.id}/suspend",
        json={"reason": "documentos vencidos"},
        headers=bearer(admin_tokens),
    )
    assert suspended.status_code == 200
    assert product_id not in await public_ids(client)
    assert product_id not in await public_ids(client, q="zapat")
    assert (await client.get(f"/api/v1/products/{product_id}")).status_code == 404
    assert (await client.get(f"/api/v1/merchants/{store.id}")).status_code == 404

    reinstated = await client.post(f"/api/v1/admin/merchants/{store.id}/reinstate", headers=bearer(admin_tokens))
    assert reinstated.status_code == 200
    assert product_id in await public_ids(client)
    assert (await client.get(f"/api/v1/products/{product_id}")).status_code == 200

    moderated = await client.post(
        f"/api/v1/admin/products/{product_id}/suspend", json={"reason": "imagen engañosa"}, headers=bearer(admin_tokens)
    )
    assert moderated.status_code == 200
    assert product_id not in await public_ids(client)
    assert (await client.get(f"/api/v1/products/{product_id}")).status_code == 404
    own_view = await client.get(f"/api/v1/merchants/{store.id}/products/{product_id}", headers=bearer(staff))
    assert own_view.json()["suspended"] is True
    assert own_view.json()["suspension_reason"] == "imagen engañosa"

    await client.post(f"/api/v1/admin/products/{product_id}/reinstate", headers=bearer(admin_tokens))
    assert product_id in await public_ids(client)
    assert (await client.get(f"/api/v1/products/{product_id}")).status_code == 200

    notifications = await client.get(
        "/api/v1/admin/outbox", params={"recipient": store.manager_person["email"]}, headers=bearer(admin_tokens)
    )
    kinds = {item["kind"] for item in notifications.json()["items"]}
    assert {"merchant_approved", "merchant_suspended", "merchant_reinstated"} <= kinds


async def test_every_store_write_route_refuses_other_stores_and_customers(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    staff = await add_staff(client, store, admin_tokens)
    product = await create_product(client, store.id, store.manager, shoes["id"], stock=5)
    other = await open_store(client, admin_tokens)
    other_staff = await add_staff(client, other, admin_tokens)
    customer = await log_in(client, (await active_customer(client, admin_tokens))["email"])
    victim = await active_customer(client, admin_tokens)
    base = f"/api/v1/merchants/{store.id}"
    writes = [
        ("POST", f"{base}/products", product_body(shoes["id"])),
        ("PATCH", f"{base}/products/{product['id']}", {"name": "Robado"}),
        ("DELETE", f"{base}/products/{product['id']}", None),
        ("POST", f"{base}/products/{product['id']}/stock", {"delta": -1, "reason": "robo"}),
        ("POST", f"{base}/staff", {"email": victim["email"]}),
        ("DELETE", f"{base}/staff/{staff['user']['id']}", None),
    ]
    for intruder in (other.manager, other_staff, customer):
        for method, url, body in writes:
            response = await client.request(method, url, json=body, headers=bearer(intruder))
            assert response.status_code == 404, (method, url, response.text)
            assert response.headers["content-type"].startswith(PROBLEM)
        for url in (f"{base}/products", f"{base}/products/{product['id']}", f"{base}/staff"):
            assert (await client.get(url, headers=bearer(intruder))).status_code == 404
    unchanged = (await client.get(f"{base}/products/{product['id']}", headers=bearer(store.manager))).json()
    assert unchanged["name"] == product["name"]
    assert unchanged["stock"] == 5
    assert unchanged["status"] == "active"
    assert len((await client.get(f"{base}/staff", headers=bearer(store.manager))).json()) == 2
    # Staff (not manager) may manage products but not people.
    refused = await client.post(f"{base}/staff", json={"email": victim["email"]}, headers=bearer(staff))
    assert refused.status_code == 403


async def test_a_hundred_concurrent_decrements_never_oversell(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    product = await create_product(client, store.id, store.manager, shoes["id"], stock=30)
    url = f"/api/v1/merchants/{store.id}/products/{product['id']}/stock"
    responses = await asyncio.gather(
        *(client.post(url, json={"delta": -1, "reason": "venta"}, headers=bearer(store.manager)) for _ in range(100))
    )
    statuses = [response.status_code for response in responses]
    assert statuses.count(201) == 30
    assert statuses.count(409) == 70
    levels = sorted(response.json()["resulting_level"] for response in responses if response.status_code == 201)
    assert levels == list(range(30))
    after = await client.get(f"/api/v1/merchants/{store.id}/products/{product['id']}", headers=bearer(store.manager))
    assert after.json()["stock"] == 0
    engine = client.app.state.container.engine
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT delta, reason FROM stock_movements WHERE product_id = :id"), {"id": product["id"]}
            )
        ).all()
    decrements = [row for row in rows if row.delta == -1]
    assert len(decrements) == 30
    assert [row.reason for row in rows if row.delta != -1] == ["initial stock"]


async def test_stock_cannot_go_below_zero(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    product = await create_product(client, store.id, store.manager, shoes["id"], stock=2)
    url = f"/api/v1/merchants/{store.id}/products/{product['id']}/stock"
    too_much = await client.post(url, json={"delta": -3, "reason": "venta"}, headers=bearer(store.manager))
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "out_of_stock"
    restock = await client.post(url, json={"delta": 5, "reason": "reposición"}, headers=bearer(store.manager))
    assert restock.json()["resulting_level"] == 7


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"price": {"amount_minor": -100, "currency": "COP"}}, 400),
        ({"price": {"amount_minor": 1.5, "currency": "COP"}}, 400),
        ({"price": {"amount_minor": 1000, "currency": "USD"}}, 422),
        ({"category_id": "00000000-0000-0000-0000-000000000001"}, 422),
        ({"stock": -1}, 400),
        ({"images": ["ftp://nope"]}, 422),
        ({"description": "x" * 10_001}, 400),
        ({"unknown": 1}, 400),
    ],
)
async def test_bad_product_input_is_a_problem_and_writes_nothing(client, admin_tokens, shoes, overrides, status):
    store = await open_store(client, admin_tokens)
    response = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json=product_body(shoes["id"], **overrides),
        headers=bearer(store.manager),
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    listing = await client.get(f"/api/v1/merchants/{store.id}/products", headers=bearer(store.manager))
    assert listing.json()["items"] == []


async def test_a_ten_megabyte_description_is_refused_before_it_is_read(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    body = product_body(shoes["id"], description="x" * (10 * 1024 * 1024))
    response = await client.post(f"/api/v1/merchants/{store.id}/products", json=body, headers=bearer(store.manager))
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    listing = await client.get(f"/api/v1/merchants/{store.id}/products", headers=bearer(store.manager))
    assert listing.json()["items"] == []


async def test_a_duplicate_sku_in_one_store_is_a_conflict(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    other = await open_store(client, admin_tokens)
    await create_product(client, store.id, store.manager, shoes["id"], sku="ABC-1")
    await create_product(client, other.id, other.manager, shoes["id"], sku="ABC-1")
    again = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json=product_body(shoes["id"], sku="ABC-1"),
        headers=bearer(store.manager),
    )
    assert again.status_code == 409
    assert again.json()["field"] == "sku"


@pytest.mark.parametrize("cursor", ["garbage", "a.b", "eyJrIjoicHJvZHVjdHMifQ.AAAA"])
async def test_a_malformed_or_forged_cursor_is_a_problem(client, cursor):
    response = await client.get("/api/v1/products", params={"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


async def test_a_cursor_cannot_be_reused_with_other_filters(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    for _ in range(3):
        await create_product(client, store.id, store.manager, shoes["id"])
    first = (await client.get("/api/v1/products", params={"limit": 1, "sort": "newest"})).json()
    other = await client.get(
        "/api/v1/products", params={"limit": 1, "sort": "price_asc", "cursor": first["next_cursor"]}
    )
    assert other.status_code == 422


async def test_categories_tree_listing_and_deletion_rules(client, admin_tokens):
    home = await create_category(client, admin_tokens, "Hogar y Cocina")
    assert home["slug"] == "hogar-y-cocina"
    pots = await create_category(client, admin_tokens, "Ollas", home["id"])
    assert pots["path"] == "hogar-y-cocina/ollas"
    listing = (await client.get("/api/v1/categories")).json()
    assert {(item["slug"], item["parent_id"]) for item in listing} >= {("hogar-y-cocina", None), ("ollas", home["id"])}
    duplicate = await client.post("/api/v1/admin/categories", json={"name": "Ollas"}, headers=bearer(admin_tokens))
    assert duplicate.status_code == 409
    cycle = await client.patch(
        f"/api/v1/admin/categories/{home['id']}", json={"parent_id": pots["id"]}, headers=bearer(admin_tokens)
    )
    assert cycle.status_code == 422
    assert (
        await client.delete(f"/api/v1/admin/categories/{home['id']}", headers=bearer(admin_tokens))
    ).status_code == 409
    store = await open_store(client, admin_tokens)
    await create_product(client, store.id, store.manager, pots["id"])
    assert (
        await client.delete(f"/api/v1/admin/categories/{pots['id']}", headers=bearer(admin_tokens))
    ).status_code == 409
    moved = await client.patch(
        f"/api/v1/admin/categories/{pots['id']}", json={"parent_id": None}, headers=bearer(admin_tokens)
    )
    assert moved.json()["path"] == "ollas"
    customer = await log_in(client, (await active_customer(client, admin_tokens))["email"])
    refused = await client.post("/api/v1/admin/categories", json={"name": "Nope"}, headers=bearer(customer))
    assert refused.status_code == 403


async def test_search_ignores_accents_matches_prefixes_and_ranks(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    boots = await create_product(
        client, store.id, store.manager, shoes["id"], name="Botas de niño", description="cuero"
    )
    sandals = await create_product(
        client, store.id, store.manager, shoes["id"], name="Sandalias", description="para niños y niñas, muy cómodas"
    )
    await create_product(client, store.id, store.manager, shoes["id"], name="Mesa", description="madera")
    assert set(await public_ids(client, q="nino")) == {boots["id"], sandals["id"]}
    assert await public_ids(client, q="comod") == [sandals["id"]]
    assert await public_ids(client, q="bota") == [boots["id"]]
    assert await public_ids(client, q="leather boots") == []
    ranked = await public_ids(client, q="niño", sort="relevance")
    assert ranked[0] == boots["id"]  # in the name outranks in the description


async def test_public_filters_and_price_sorts(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    cheap = await create_product(
        client, store.id, store.manager, shoes["id"], price={"amount_minor": 1000, "currency": "COP"}
    )
    dear = await create_product(
        client, store.id, store.manager, shoes["id"], price={"amount_minor": 9000, "currency": "COP"}
    )
    empty = await create_product(
        client, store.id, store.manager, shoes["id"], price={"amount_minor": 5000, "currency": "COP"}, stock=0
    )
    assert await public_ids(client, sort="price_asc") == [cheap["id"], empty["id"], dear["id"]]
    assert await public_ids(client, sort="price_desc") == [dear["id"], empty["id"], cheap["id"]]
    assert await public_ids(client, sort="newest") == [empty["id"], dear["id"], cheap["id"]]
    assert await public_ids(client, in_stock="true", sort="price_asc") == [cheap["id"], dear["id"]]
    assert await public_ids(client, min_price=2000, max_price=9000, sort="price_asc") == [empty["id"], dear["id"]]
    assert await public_ids(client, merchant=store.id, sort="newest") == [empty["id"], dear["id"], cheap["id"]]
    assert (await client.get("/api/v1/products", params={"limit": 101})).status_code == 400
    assert (await client.get("/api/v1/products", params={"min_price": 5, "max_price": 1})).status_code == 422


async def test_public_pages_are_cached_and_a_hit_runs_no_sql(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens)
    product = await create_product(client, store.id, store.manager, shoes["id"])
    engine = client.app.state.container.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await client.get("/api/v1/products", params={"q": "producto", "category": "ropa", "sort": "price_asc"})
        miss = len(statements)
        await client.get(f"/api/v1/products/{product['id']}")
        detail_miss = len(statements) - miss
        statements.clear()
        listing = await client.get(
            "/api/v1/products", params={"q": "producto", "category": "ropa", "sort": "price_asc"}
        )
        detail = await client.get(f"/api/v1/products/{product['id']}")
        hits = len(statements)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert miss <= 2
    assert detail_miss <= 2
    assert hits == 0
    assert listing.json()["items"][0]["id"] == product["id"]
    assert detail.json()["id"] == product["id"]

    renamed = await client.patch(
        f"/api/v1/merchants/{store.id}/products/{product['id']}",
        json={"name": "Nuevo nombre"},
        headers=bearer(store.manager),
    )
    assert renamed.status_code == 200
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["name"] == "Nuevo nombre"
    listing = await client.get("/api/v1/products", params={"category": "ropa", "sort": "price_asc"})
    assert listing.json()["items"][0]["name"] == "Nuevo nombre"


async def test_staff_management_changes_roles_and_one_store_per_person(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    other = await open_store(client, admin_tokens)
    staff = await add_staff(client, store, admin_tokens)
    email = staff["user"]["email"]
    taken = await client.post(
        f"/api/v1/merchants/{other.id}/staff", json={"email": email}, headers=bearer(other.manager)
    )
    assert taken.status_code == 409
    one = await client.get(f"/api/v1/merchants/{store.id}/staff/{staff['user']['id']}", headers=bearer(store.manager))
    assert one.json()["store_role"] == "staff"
    removed = await client.delete(
        f"/api/v1/merchants/{store.id}/staff/{staff['user']['id']}", headers=bearer(store.manager)
    )
    assert removed.status_code == 204
    assert (await log_in(client, email))["user"]["role"] == "customer"
    ghost = await client.post(
        f"/api/v1/merchants/{store.id}/staff", json={"email": "ghost@example.com"}, headers=bearer(store.manager)
    )
    assert ghost.status_code == 404


async def test_store_applications_rules(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    body = {"name": "Mi Tienda", "legal_id": "901234567-1", "description": "", "contact_email": person["email"]}
    assert (await client.post("/api/v1/merchants", json=body, headers=bearer(tokens))).status_code == 201
    again = await client.post("/api/v1/merchants", json=body, headers=bearer(tokens))
    assert again.status_code == 409
    other = await log_in(client, (await active_customer(client, admin_tokens))["email"])
    same_legal_id = await client.post("/api/v1/merchants", json=body, headers=bearer(other))
    assert same_legal_id.status_code == 409
    assert same_legal_id.json()["field"] == "legal_id"
    pending = await client.get("/api/v1/admin/merchants", params={"status": "pending"}, headers=bearer(admin_tokens))
    assert any(item["name"] == "Mi Tienda" for item in pending.json()["items"])
    assert (await client.get("/api/v1/admin/merchants", headers=bearer(tokens))).status_code == 403


async def test_the_public_catalog_keeps_working_when_redis_is_down(settings):
    async with app_client(dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0")) as client:
        admin = await log_in(client, (await create_admin(client))["email"])
        category = await create_category(client, admin, "Libros")
        store = await open_store(client, admin)
        product = await create_product(client, store.id, store.manager, category["id"], name="Cien años de soledad")
        assert product["id"] in await public_ids(client, q="soledad")
        assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 200
        await client.post(
            f"/api/v1/admin/merchants/{store.id}/suspend", json={"reason": "revisión"}, headers=bearer(admin)
        )
        assert product["id"] not in await public_ids(client)
        assert (await client.get(f"/api/v1/products/{product['id']}")).status_code == 404


async def test_a_cached_page_is_answered_304_while_the_client_holds_its_bytes(client, admin_tokens, shoes):
    store = await open_store(client, admin_tokens, name="Etiquetas Andinas")
    staff = await add_staff(client, store, admin_tokens)
    product = await create_product(client, store.id, staff, shoes["id"], name="Botas de lluvia")
    etags = {}
    for path in (f"/api/v1/products/{product['id']}", "/api/v1/products?category=zapatos"):
        first = await client.get(path)
        etag = etags[path] = first.headers["etag"]
        assert first.status_code == 200
        again = await client.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
        assert (await client.get(path, headers={"If-None-Match": '"something-else"'})).status_code == 200

    renamed = await client.patch(
        f"/api/v1/merchants/{store.id}/products/{product['id']}",
        json={"name": "Botas pantaneras"},
        headers=bearer(staff),
    )
    assert renamed.status_code == 200
    page = f"/api/v1/products/{product['id']}"
    changed = await client.get(page, headers={"If-None-Match": etags[page]})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Botas pantaneras"
