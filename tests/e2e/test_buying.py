"""Buying over HTTP on real PostgreSQL and Redis: cart, checkout, payment, orders, invoices, money."""

import pytest

from tests.e2e.buying_flows import (
    catalog,
    check_out,
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
    for product, quantity in ((boots, 3), (socks, 1), (hat, 1)):
        assert (await put_in_cart(client, ana, product["id"], quantity)).status_code == 200
    cart = (await client.get("/api/v1/cart", headers=bearer(ana))).json()
    assert cart["total"] == {"amount_minor": 3 * 33_333 + 1_005 + 10_001, "currency": "COP"}
    assert (await client.get(f"/api/v1/products/{hat['id']}")).json()["in_stock"] is True  # cache now warm

    placed = await check_out(client, ana)
    assert placed.status_code == 201, placed.text
    body = placed.json()
    assert body["status"] == "pending_payment"
    orders = {order["merchant_id"]: order for order in body["orders"]}
    a, b = orders[store_a.id], orders[store_b.id]
    assert a["subtotal"]["amount_minor"] == 101_004
    assert a["tax"]["amount_minor"] == 19_191  # 19 % of 101_004 = 19_190.76, half up
    assert a["total"]["amount_minor"] == 120_195
    assert b["tax"]["amount_minor"] == 1_900  # 1_900.19
    assert b["total"]["amount_minor"] == 11_901
    assert body["total"]["amount_minor"] == 120_195 + 11_901
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
