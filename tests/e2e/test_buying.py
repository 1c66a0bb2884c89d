"""Buying over HTTP on real PostgreSQL and Redis: cart, checkout, payment, orders, invoices, money."""

import asyncio
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import event

from adapters.redis.access_token_denylist import COMPLETE_SINCE_KEY
from entrypoints.cli import main
from tests.e2e.buying_flows import (
    ADDRESS,
    catalog,
    check_out,
    counts,
    customers,
    pay,
    put_in_cart,
    scalar,
    store_with_product,
)
from tests.e2e.catalog_flows import create_product
from tests.e2e.identity_flows import bearer, create_admin, log_in

PROBLEM = "application/problem+json"


@pytest.fixture
async def admin_tokens(client):
    admin = await create_admin(client)
    return await log_in(client, admin["email"])


@pytest.fixture
async def shop(client, admin_tokens):
    return await catalog(client, admin_tokens)


async def test_a_multi_store_cart_becomes_one_checkout_with_an_order_and_an_invoice_per_store(
    client, admin_tokens, shop
):
    store_a, boots = await store_with_product(client, admin_tokens, shop, price=33_333, stock=5)
    store_b, hat = await store_with_product(client, admin_tokens, shop, price=10_001, stock=1)
    socks = await create_product(
        client, store_a.id, store_a.manager, shop.category_id, price={"amount_minor": 1_005, "currency": "COP"}
    )
    [ana] = await customers(client, 1)
    commission = f"/api/v1/admin/merchants/{store_b.id}/commission"
    assert (await client.put(commission, json={"basis_points": 1500}, headers=bearer(ana))).status_code == 403
    agreed = await client.put(commission, json={"basis_points": 1500}, headers=bearer(admin_tokens))
    assert agreed.status_code == 200, agreed.text
    for product, quantity in ((boots, 3), (socks, 1), (hat, 1)):
        assert (await put_in_cart(client, ana, product["id"], quantity)).status_code == 200
    cart = (await client.get("/api/v1/cart", headers=bearer(ana))).json()
    assert cart["total"] == {"amount_minor": 3 * 33_333 + 1_005 + 10_001, "currency": "COP"}
    assert cart["needs_attention"] is False
    repriced = await client.patch(
        f"/api/v1/merchants/{store_a.id}/products/{socks['id']}",
        json={"price": {"amount_minor": 1_100, "currency": "COP"}},
        headers=bearer(store_a.manager),
    )
    assert repriced.status_code == 200, repriced.text
    cart = (await client.get("/api/v1/cart", headers=bearer(ana))).json()
    line = next(line for line in cart["lines"] if line["product_id"] == socks["id"])
    assert (line["price_changed"], line["unit_price"]["amount_minor"], cart["needs_attention"]) == (True, 1_100, True)
    await put_in_cart(client, ana, socks["id"], 1)  # seen: the line takes today's price
    socks_price = 1_100
    assert (await client.get(f"/api/v1/products/{hat['id']}")).json()["in_stock"] is True  # cache now warm

    placed = await check_out(client, ana)
    assert placed.status_code == 201, placed.text
    body = placed.json()
    assert placed.headers["Location"] == f"/api/v1/checkouts/{body['id']}"
    assert body["status"] == "pending_payment"
    orders = {order["merchant_id"]: order for order in body["orders"]}
    a, b = orders[store_a.id], orders[store_b.id]
    assert a["subtotal"]["amount_minor"] == 3 * 33_333 + socks_price == 101_099
    assert a["tax"]["amount_minor"] == 19_209  # 19 % of 101_099 = 19_208.81, half up
    assert a["total"]["amount_minor"] == 120_308
    assert b["tax"]["amount_minor"] == 1_900  # 1_900.19
    assert b["total"]["amount_minor"] == 11_901
    assert (a["commission_rate_basis_points"], a["commission"]["amount_minor"]) == (1000, 10_110)  # 10_109.9
    assert (b["commission_rate_basis_points"], b["commission"]["amount_minor"]) == (1500, 1_500)  # 1_500.15
    assert body["total"]["amount_minor"] == 120_308 + 11_901
    assert {line["sku"] for line in a["lines"]} == {boots["sku"], socks["sku"]}
    assert (await client.get(f"/api/v1/products/{hat['id']}")).json()["in_stock"] is False  # cache invalidated

    paid = await pay(client, ana, body["id"])
    assert paid.status_code == 200, paid.text
    assert paid.json()["payment"]["status"] == "approved"
    assert {order["status"] for order in paid.json()["checkout"]["orders"]} == {"paid"}
    assert (await client.get("/api/v1/cart", headers=bearer(ana))).json()["lines"] == []
    for store, order in ((store_a, a), (store_b, b)):
        documents = await client.get(f"/api/v1/orders/{order['id']}/invoice", headers=bearer(ana))
        assert documents.status_code == 200, documents.text
        invoice = documents.json()["invoice"]
        code = "".join(ch for ch in invoice["issuer"]["tax_id"] if ch.isalnum())
        assert invoice["number"] == f"{code}-000001"
        assert invoice["total"] == order["total"]
        assert invoice["buyer"]["name"].startswith("Comprador")
        staff_view = await client.get(f"/api/v1/orders/{order['id']}/invoice", headers=bearer(store.manager))
        assert staff_view.json()["invoice"]["number"] == invoice["number"]
    kinds = await scalar(client, "SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM notifications_outbox")
    assert {"order_placed", "order_paid", "payment_received"} <= set(str(kinds).split(","))

    # The store ships and delivers; the buyer sees the history; support refunds; the ledger nets to zero.
    base = f"/api/v1/merchants/{store_a.id}/orders/{a['id']}"
    shipped = await client.post(
        f"{base}/ship", json={"carrier": "Servientrega", "tracking_code": "SV123"}, headers=bearer(store_a.manager)
    )
    assert shipped.status_code == 200, shipped.text
    assert (await client.post(f"/api/v1/orders/{a['id']}/cancel", headers=bearer(ana))).status_code == 409
    delivered = await client.post(f"{base}/deliver", headers=bearer(store_a.manager))
    assert [event["status"] for event in delivered.json()["history"]] == [
        "pending_payment",
        "paid",
        "shipped",
        "delivered",
    ]
    balance = (await client.get(f"/api/v1/merchants/{store_a.id}/balance", headers=bearer(store_a.manager))).json()
    net = a["total"]["amount_minor"] - a["commission"]["amount_minor"]
    assert balance["pending"]["amount_minor"] == net
    assert balance["available"]["amount_minor"] == 0
    refunded = await client.post(
        f"/api/v1/admin/orders/{a['id']}/refund", json={"reason": "arrived broken"}, headers=bearer(admin_tokens)
    )
    assert refunded.status_code == 200, refunded.text
    assert refunded.json()["status"] == "refunded"
    documents = (await client.get(f"/api/v1/orders/{a['id']}/invoice", headers=bearer(ana))).json()
    assert [note["number"].split("-", 1)[1] for note in documents["credit_notes"]] == ["NC-000001"]
    balance = (await client.get(f"/api/v1/merchants/{store_a.id}/balance", headers=bearer(store_a.manager))).json()
    assert balance["pending"]["amount_minor"] + balance["available"]["amount_minor"] == 0
    assert sum(entry["amount_minor"] for entry in balance["entries"]) == 0
    refunds = await scalar(client, "SELECT count(*) FROM fake_gateway_operations WHERE kind = 'refund'")
    assert refunds == 1
    listed = await client.get("/api/v1/admin/orders", params={"status": "refunded"}, headers=bearer(admin_tokens))
    assert [order["id"] for order in listed.json()["items"]] == [a["id"]]


async def test_sixty_customers_racing_for_twenty_units_never_oversell(client, admin_tokens, shop):
    store, product = await store_with_product(client, admin_tokens, shop, price=50_000, stock=20)
    buyers = await customers(client, 60)
    for buyer in buyers:
        assert (await put_in_cart(client, buyer, product["id"], 1)).status_code == 200

    responses = await asyncio.gather(*(check_out(client, buyer) for buyer in buyers))

    statuses = [response.status_code for response in responses]
    assert statuses.count(201) == 20, statuses
    assert statuses.count(409) == 40
    refusal = next(response for response in responses if response.status_code == 409)
    assert refusal.headers["content-type"].startswith(PROBLEM)
    assert refusal.json()["shortages"] == [
        {"product_id": product["id"], "sku": product["sku"], "requested": 1, "available": 0}
    ]
    after = await client.get(f"/api/v1/merchants/{store.id}/products/{product['id']}", headers=bearer(store.manager))
    assert after.json()["stock"] == 0
    ledger = await scalar(client, "SELECT sum(delta) FROM stock_movements WHERE product_id = :p", p=product["id"])
    assert ledger == 0  # +20 initial, twenty -1 reservations
    assert await counts(client, "checkouts", "orders") == {"checkouts": 20, "orders": 20}


async def test_ten_concurrent_requests_with_one_key_make_one_checkout_and_replays_match(client, admin_tokens, shop):
    _, product = await store_with_product(client, admin_tokens, shop, price=12_345, stock=10)
    [ana] = await customers(client, 1)
    await put_in_cart(client, ana, product["id"], 2)

    responses = await asyncio.gather(*(check_out(client, ana, key="order-42") for _ in range(10)))

    assert {response.status_code for response in responses} == {201}
    assert len({response.content for response in responses}) == 1
    assert len({response.headers["Location"] for response in responses}) == 1  # replays point at the same checkout
    assert sum(response.headers.get("idempotent-replayed") == "true" for response in responses) == 9
    assert await counts(client, "checkouts", "idempotency_keys") == {"checkouts": 1, "idempotency_keys": 1}
    assert await scalar(client, "SELECT stock FROM products WHERE id = :p", p=product["id"]) == 8
    replay = await check_out(client, ana, key="order-42")
    assert replay.content == responses[0].content
    other_body = await check_out(client, ana, key="order-42", address=ADDRESS | {"city": "Medellín"})
    assert other_body.status_code == 422
    assert other_body.json()["field"] == "Idempotency-Key"
    assert await counts(client, "checkouts") == {"checkouts": 1}


async def test_expiry_returns_the_stock_and_paying_afterwards_is_refused(client, admin_tokens, shop, settings):
    store, product = await store_with_product(client, admin_tokens, shop, price=20_000, stock=3)
    [ana] = await customers(client, 1)
    await put_in_cart(client, ana, product["id"], 3)
    checkout = (await check_out(client, ana)).json()
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["in_stock"] is False
    async with client.app.state.container.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE checkouts SET expires_at = now() - interval '1 second'")

    result = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["jobs", "expire-checkouts"],
        env={
            "COMMERCE_DATABASE_URL": settings.database_url,
            "COMMERCE_REDIS_URL": settings.redis_url,
            "COMMERCE_LOG_LEVEL": "WARNING",
        },
    )
    assert result.exit_code == 0, result.output
    assert "expired 1 checkouts (1 orders, 3 units back in stock)" in result.output

    assert await scalar(client, "SELECT stock FROM products WHERE id = :p", p=product["id"]) == 3
    assert await scalar(client, "SELECT count(*) FROM stock_movements WHERE reason = 'checkout expired'") == 1
    assert (await client.get(f"/api/v1/products/{product['id']}")).json()["in_stock"] is True
    order = (await client.get(f"/api/v1/orders/{checkout['orders'][0]['id']}", headers=bearer(ana))).json()
    assert order["status"] == "expired"
    refused = await pay(client, ana, checkout["id"])
    assert refused.status_code == 409
    assert await scalar(client, "SELECT count(*) FROM fake_gateway_operations") == 0
    listed = await client.get(
        f"/api/v1/merchants/{store.id}/orders", params={"status": "expired"}, headers=bearer(store.manager)
    )
    assert [item["id"] for item in listed.json()["items"]] == [order["id"]]


async def test_fifty_concurrent_payments_in_one_store_number_invoices_without_gaps(client, admin_tokens, shop):
    store, product = await store_with_product(client, admin_tokens, shop, price=9_999, stock=50)
    buyers = await customers(client, 50)
    checkouts = []
    for buyer in buyers:
        await put_in_cart(client, buyer, product["id"], 1)
        checkouts.append((buyer, (await check_out(client, buyer)).json()["id"]))

    responses = await asyncio.gather(*(pay(client, buyer, checkout_id) for buyer, checkout_id in checkouts))

    assert {response.status_code for response in responses} == {200}, [
        r.text for r in responses if r.status_code != 200
    ]
    numbers = sorted(response.json()["invoices"][0]["number"] for response in responses)
    code = numbers[0].rsplit("-", 1)[0]
    assert numbers == [f"{code}-{n:06d}" for n in range(1, 51)]
    # The store's entries always sum to its balance.
    balance = (await client.get(f"/api/v1/merchants/{store.id}/balance", headers=bearer(store.manager))).json()
    entries_sum = await scalar(
        client, "SELECT sum(amount_minor) FROM merchant_ledger_entries WHERE merchant_id = :m", m=store.id
    )
    assert balance["pending"]["amount_minor"] + balance["available"]["amount_minor"] == entries_sum
    order_total = 9_999 + 1_900  # 19 % of 9_999 = 1_899.81 → 1_900
    commission = 1_000  # 10 % of 9_999 = 999.9 → 1_000
    assert entries_sum == 50 * (order_total - commission)
    assert (
        await scalar(client, "SELECT count(*) FROM merchant_ledger_entries WHERE merchant_id = :m", m=store.id) == 100
    )


async def test_a_payment_timeout_then_a_retry_records_exactly_one_charge(client, admin_tokens, shop):
    _, product = await store_with_product(client, admin_tokens, shop, price=70_000, stock=2)
    [ana] = await customers(client, 1)
    await put_in_cart(client, ana, product["id"], 1)
    checkout = (await check_out(client, ana)).json()

    declined = await pay(client, ana, checkout["id"], "tok_declined")
    assert declined.status_code == 402
    failed = await pay(client, ana, checkout["id"], "tok_error")
    assert failed.status_code == 502
    timed_out = await pay(client, ana, checkout["id"], "tok_timeout")
    assert timed_out.status_code == 504
    assert timed_out.json()["payment_status"] == "unknown"
    retried = await pay(client, ana, checkout["id"], "tok_timeout")
    assert retried.status_code == 200, retried.text
    assert retried.json()["payment"]["id"] == timed_out.json()["payment_id"]
    again = await pay(client, ana, checkout["id"])
    assert again.status_code == 409

    charges = await scalar(
        client, "SELECT count(*) FROM fake_gateway_operations WHERE kind = 'charge' AND outcome = 'approved'"
    )
    assert charges == 1
    statuses = await scalar(client, "SELECT string_agg(status, ',' ORDER BY id) FROM payment_attempts")
    assert statuses == "declined,failed,approved"


async def test_bad_input_gets_problem_details_and_writes_nothing(client, admin_tokens, shop):
    _, product = await store_with_product(client, admin_tokens, shop, price=1_000, stock=5)
    [ana] = await customers(client, 1)
    tables = ("cart_lines", "checkouts", "orders", "idempotency_keys", "payment_attempts")
    before = await counts(client, *tables)
    movements = await counts(client, "stock_movements")

    cases = [
        await put_in_cart(client, ana, str(uuid.uuid4()), 1),
        await put_in_cart(client, ana, product["id"], -1),
        await put_in_cart(client, ana, product["id"], 100),
        await put_in_cart(client, ana, product["id"], 10**30),
        await client.put(f"/api/v1/cart/items/{product['id']}", json={"quantity": [2]}, headers=bearer(ana)),
        await check_out(client, ana),  # empty cart
    ]
    # The quantity bounds (0..99) are in the schema now: like every schema constraint, a 400 naming the field.
    assert [response.status_code for response in cases] == [404, 400, 400, 400, 400, 409]
    await put_in_cart(client, ana, product["id"], 1)
    before = await counts(client, *tables)
    cases = [
        await client.post("/api/v1/checkouts", json={"shipping_address": ADDRESS}, headers=bearer(ana)),
        await check_out(client, ana, address=ADDRESS | {"country": "Colombia"}),
        await check_out(client, ana, address=ADDRESS | {"phone": "12"}),
        await check_out(client, ana, address={k: v for k, v in ADDRESS.items() if k != "line1"}),
        await check_out(client, ana, address=ADDRESS | {"line1": "x" * 1000}),
        await check_out(client, ana, key=" "),
    ]
    assert [response.status_code for response in cases] == [400, 422, 422, 400, 400, 422]
    for response in cases:
        assert response.headers["content-type"].startswith(PROBLEM), response.text
    assert cases[1].json()["field"] == "shipping_address.country"
    assert await counts(client, *tables) == before
    assert await counts(client, "stock_movements") == movements


async def test_customers_and_stores_cannot_reach_each_others_buying(client, admin_tokens, shop):
    store_a, product = await store_with_product(client, admin_tokens, shop, price=5_000, stock=5)
    store_b, _ = await store_with_product(client, admin_tokens, shop, price=5_000, stock=5)
    ana, luis = await customers(client, 2)
    await put_in_cart(client, ana, product["id"], 1)
    checkout = (await check_out(client, ana)).json()
    order_id = checkout["orders"][0]["id"]
    assert (await pay(client, ana, checkout["id"])).status_code == 200

    assert (await client.get("/api/v1/cart", headers=bearer(luis))).json()["lines"] == []
    for method, url in (
        ("GET", f"/api/v1/checkouts/{checkout['id']}"),
        ("POST", f"/api/v1/checkouts/{checkout['id']}/payment"),
        ("GET", f"/api/v1/orders/{order_id}"),
        ("GET", f"/api/v1/orders/{order_id}/invoice"),
        ("POST", f"/api/v1/orders/{order_id}/cancel"),
    ):
        body = {"method": "card", "token": "tok_visa_ok"} if url.endswith("payment") else None
        response = await client.request(method, url, json=body, headers=bearer(luis))
        assert response.status_code == 404, (url, response.text)
    assert (await client.get("/api/v1/orders", headers=bearer(luis))).json()["items"] == []

    ship = {"carrier": "Servientrega", "tracking_code": "SV123"}
    for base in (f"/api/v1/merchants/{store_a.id}", f"/api/v1/merchants/{store_b.id}"):
        for method, path, body in (
            ("POST", f"/orders/{order_id}/ship", ship),
            ("POST", f"/orders/{order_id}/deliver", None),
        ):
            response = await client.request(method, base + path, json=body, headers=bearer(store_b.manager))
            assert response.status_code == 404, (base, path, response.text)
    assert (
        await client.get(f"/api/v1/merchants/{store_a.id}/orders", headers=bearer(store_b.manager))
    ).status_code == 404
    assert (await client.get(f"/api/v1/merchants/{store_b.id}/orders", headers=bearer(store_b.manager))).json()[
        "items"
    ] == []
    assert (await client.get(f"/api/v1/orders/{order_id}/invoice", headers=bearer(store_b.manager))).status_code == 404
    assert (await client.get("/api/v1/admin/orders", headers=bearer(luis))).status_code == 403
    order = (await client.get(f"/api/v1/orders/{order_id}", headers=bearer(ana))).json()
    assert order["status"] == "paid"


async def test_a_checkout_runs_eight_statements_plus_one_per_line(client, admin_tokens, shop):
    """Per line: the conditional stock update with its stock-ledger insert (one statement); all else is per checkout.

    Fixed: claim the key, read the cart with its products and their stores' commission (one
    statement), insert the checkout, insert its orders with their lines and their first history
    events (one statement, whatever their number), read the buyer, read the store, queue their
    notices (one statement), store the response under the key. (The access token is checked
    against the credential cache and the denylist in Redis; the denylist is complete here, as it is
    one token lifetime after Redis starts.)
    With N stores, each adds a read of the store; its notice rides in the same insert.
    """
    await client.app.state.container.adapters.redis.set(COMPLETE_SINCE_KEY, b"0")
    store, first = await store_with_product(client, admin_tokens, shop, price=1_000, stock=10)
    others = [await create_product(client, store.id, store.manager, shop.category_id, stock=10) for _ in range(3)]
    engine = client.app.state.container.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    measured = {}
    for lines in (1, 2, 4):
        [buyer] = await customers(client, 1)
        for product in [first, *others][:lines]:
            await put_in_cart(client, buyer, product["id"], 1)
        await client.get("/api/v1/cart", headers=bearer(buyer))  # warm the credential cache
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            statements.clear()
            assert (await check_out(client, buyer)).status_code == 201
            measured[lines] = len(statements)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert measured == {lines: 8 + lines for lines in (1, 2, 4)}, measured

    # A second merchant in the cart adds its read (its notice rides along): 8 + 1 per line + 1 per extra merchant.
    _, elsewhere = await store_with_product(client, admin_tokens, shop, price=2_000, stock=10)
    [buyer] = await customers(client, 1)
    for product in (first, elsewhere):
        await put_in_cart(client, buyer, product["id"], 1)
    await client.get("/api/v1/cart", headers=bearer(buyer))
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        statements.clear()
        placed = await check_out(client, buyer)
        two_merchants = len(statements)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(placed.json()["orders"]) == 2
    assert two_merchants == 8 + 2 + 1


async def test_a_checkout_reserves_stock_last_so_the_product_rows_are_locked_for_the_commit_alone(
    client, admin_tokens, shop
):
    """Every other checkout of a product waits on its row from the reservation to the commit."""
    store, product = await store_with_product(client, admin_tokens, shop, price=1_000, stock=10)
    other = await create_product(client, store.id, store.manager, shop.category_id, stock=10)
    [buyer] = await customers(client, 1)
    for each in (product, other):
        await put_in_cart(client, buyer, each["id"], 1)
    engine = client.app.state.container.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        assert (await check_out(client, buyer)).status_code == 201
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    moves = [index for index, statement in enumerate(statements) if "UPDATE products SET stock = stock +" in statement]
    assert moves == [len(statements) - 2, len(statements) - 1], statements


async def test_order_listings_page_with_cursors_that_only_continue_their_own_listing(client, admin_tokens, shop):
    store, product = await store_with_product(client, admin_tokens, shop, price=3_000, stock=10)
    ana, luis = await customers(client, 2)
    placed = []
    for _ in range(3):
        await put_in_cart(client, ana, product["id"], 1)
        placed.append((await check_out(client, ana)).json()["orders"][0]["id"])
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/orders", params=params, headers=bearer(ana))).json()
        seen += [order["id"] for order in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(placed))  # newest first, each once
    first = (await client.get("/api/v1/orders", params={"limit": 1}, headers=bearer(ana))).json()
    borrowed = await client.get("/api/v1/orders", params={"cursor": first["next_cursor"]}, headers=bearer(luis))
    assert borrowed.status_code == 422  # another customer's cursor continues nothing
    merchant_page = await client.get(
        f"/api/v1/merchants/{store.id}/orders", params={"limit": 2}, headers=bearer(store.manager)
    )
    assert len(merchant_page.json()["items"]) == 2
    assert merchant_page.json()["next_cursor"] is not None
