"""The support desk and the audit trail through HTTP, on real PostgreSQL and Redis."""

import asyncio
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.e2e.catalog_flows import add_staff, create_category, create_product, open_store
from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in
from tests.e2e.support_flows import audit_events, bought_order, open_ticket, support_agent


@pytest.fixture
async def admin_tokens(client):
    admin = await create_admin(client)
    return await log_in(client, admin["email"])


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_a_customer_ticket_is_answered_noted_reopened_and_resolved_and_the_stats_show_it(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    person = await active_customer(client, admin_tokens)
    customer = await log_in(client, person["email"])
    ticket = await open_ticket(client, customer, subject="Cobro duplicado", category="payment")
    path = f"/api/v1/tickets/{ticket['id']}"
    assert ticket["status"] == "open"

    assigned = await client.patch(path, json={"assignee_id": agent["user"]["id"]}, headers=bearer(agent))
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_id"] == agent["user"]["id"]
    reply = await client.post(f"{path}/messages", json={"body": "Ya lo revisamos"}, headers=bearer(agent))
    note = await client.post(
        f"{path}/messages", json={"body": "Banco confirma doble cargo", "internal": True}, headers=bearer(agent)
    )
    assert (reply.status_code, note.status_code) == (201, 201)
    assert reply.headers["Location"] == path  # a message lives in its ticket's conversation

    customer_view = (await client.get(path, headers=bearer(customer))).json()
    assert [m["body"] for m in customer_view["messages"]] == ["No llega mi pedido", "Ya lo revisamos"]
    staff_view = (await client.get(path, headers=bearer(agent))).json()
    assert staff_view["messages"][-1] == note.json()
    outbox = await client.get(
        "/api/v1/admin/outbox", params={"recipient": person["email"], "kind": "ticket_reply"}, headers=bearer(agent)
    )
    [sent] = outbox.json()["items"]
    assert sent["payload"]["ticket_id"] == ticket["id"]
    assert "Banco" not in str(outbox.json())

    assert (await client.patch(path, json={"status": "pending"}, headers=bearer(agent))).json()["status"] == "pending"
    answer = await client.post(f"{path}/messages", json={"body": "Adjunto el extracto"}, headers=bearer(customer))
    assert answer.status_code == 201
    assert (await client.get(path, headers=bearer(customer))).json()["ticket"]["status"] == "open"

    resolved = (await client.patch(path, json={"status": "resolved"}, headers=bearer(agent))).json()
    assert resolved["status"] == "resolved"
    stats = await client.get(
        "/api/v1/admin/support/stats",
        params={
            "from": ticket["created_at"],
            "to": (_moment(resolved["resolved_at"]) + timedelta(seconds=1)).isoformat(),
        },
        headers=bearer(agent),
    )
    assert stats.status_code == 200, stats.text
    body = stats.json()
    assert body["opened"] == 1
    assert body["by_status"]["resolved"] == 1
    assert body["by_category"]["payment"] == 1
    created = _moment(ticket["created_at"])
    first_response = (_moment(resolved["first_response_at"]) - created).total_seconds()
    assert body["median_first_response_seconds"] == pytest.approx(first_response, abs=1e-3)
    resolution = (_moment(resolved["resolved_at"]) - created).total_seconds()
    assert body["median_resolution_seconds"] == pytest.approx(resolution, abs=1e-3)


async def test_another_stores_staff_cannot_see_a_stores_catalog_ticket(client, admin_tokens):
    store, other = await open_store(client, admin_tokens), await open_store(client, admin_tokens)
    staff = await add_staff(client, store, admin_tokens)
    foreign_staff = await add_staff(client, other, admin_tokens)
    ticket = await open_ticket(client, staff, subject="No puedo subir fotos", category="catalog")
    path = f"/api/v1/tickets/{ticket['id']}"
    assert ticket["merchant_id"] == store.id

    for tokens in (foreign_staff, other.manager):
        assert (await client.get(path, headers=bearer(tokens))).status_code == 404
        posted = await client.post(f"{path}/messages", json={"body": "hola"}, headers=bearer(tokens))
        assert posted.status_code == 404
        listing = await client.get("/api/v1/tickets", headers=bearer(tokens))
        assert listing.json()["items"] == []
    assert (await client.get(path, headers=bearer(store.manager))).status_code == 200
    listed = await client.get("/api/v1/tickets", params={"category": "catalog"}, headers=bearer(store.manager))
    assert [t["id"] for t in listed.json()["items"]] == [ticket["id"]]


async def test_every_staff_action_leaves_exactly_one_audit_event_with_its_request_id(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    person = await active_customer(client, admin_tokens)
    customer = await log_in(client, person["email"])
    ticket = await open_ticket(client, customer)
    admin_id, agent_id, customer_id = admin_tokens["user"]["id"], agent["user"]["id"], customer["user"]["id"]
    applicant = await log_in(client, (await active_customer(client, admin_tokens))["email"])
    applied = await client.post(
        "/api/v1/merchants",
        json={"name": "Tienda Auditada", "legal_id": "900777111-1", "description": "", "contact_email": "a@ex.co"},
        headers=bearer(applicant),
    )
    assert applied.status_code == 201, applied.text
    store = await open_store(client, admin_tokens)
    category = await create_category(client, admin_tokens, "Hogar")
    product = await create_product(client, store.id, store.manager, category["id"])
    store_id, product_id = applied.json()["id"], product["id"]
    actions = [
        ("post", f"/admin/merchants/{store_id}/approve", None, "merchant.approved"),
        ("post", f"/admin/merchants/{store_id}/suspend", {"reason": "documentos vencidos"}, "merchant.suspended"),
        ("post", f"/admin/merchants/{store_id}/reinstate", None, "merchant.reinstated"),
        ("post", f"/admin/products/{product_id}/suspend", {"reason": "foto engañosa"}, "product.suspended"),
        ("post", f"/admin/products/{product_id}/reinstate", None, "product.reinstated"),
        ("patch", f"/tickets/{ticket['id']}", {"assignee_id": agent_id}, "ticket.assigned"),
        ("patch", f"/tickets/{ticket['id']}", {"status": "resolved"}, "ticket.status_changed"),
        ("patch", f"/admin/users/{customer_id}", {"is_active": False}, "user.status_changed"),
        ("patch", f"/admin/users/{agent_id}", {"role": "customer"}, "user.role_changed"),
    ]
    for number, (method, path, body, action) in enumerate(actions):
        request_id = f"audit-{number}"
        earlier = await audit_events(client, admin_tokens)
        headers = bearer(admin_tokens) | {"X-Request-ID": request_id}
        response = await client.request(method.upper(), f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 200, (path, response.text)
        now = await audit_events(client, admin_tokens)
        assert len(now) == len(earlier) + 1, action
        event = now[0]
        assert (event["action"], event["request_id"]) == (action, request_id)
        assert (event["actor_id"], event["actor_role"]) == (admin_id, "admin")
        assert event["subject_id"] in path
        assert event["before"] != event["after"]


async def test_audit_events_cannot_be_updated_or_deleted_through_sql(client, admin_tokens, engine):
    agent = await support_agent(client, admin_tokens)
    [event] = await audit_events(client, admin_tokens, subject_id=agent["user"]["id"])
    for statement in (
        "UPDATE audit_events SET action = 'user.status_changed'",
        "UPDATE audit_events SET request_id = 'forged' WHERE id = :id",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement), {"id": event["id"]})
    assert await audit_events(client, admin_tokens, subject_id=agent["user"]["id"]) == [event]


async def test_bad_ticket_input_is_a_problem_naming_the_field_and_writes_nothing(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    person = await active_customer(client, admin_tokens)
    customer = await log_in(client, person["email"])
    cases = [
        ({"subject": "Ayuda", "body": "x", "category": "refund"}, 400, "category"),
        ({"subject": "Ayuda", "body": "x", "category": "other", "urgent": True}, 400, "urgent"),
        ({"subject": "ab", "body": "x", "category": "other"}, 422, "subject"),
        ({"subject": "Ayuda", "body": "   ", "category": "other"}, 422, "body"),
        ({"subject": "Ayuda", "body": "x", "category": "order", "order_id": str(uuid4())}, 404, "order_id"),
    ]
    for body, status, field in cases:
        response = await client.post("/api/v1/tickets", json=body, headers=bearer(customer))
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text
    assert (await client.get("/api/v1/tickets", headers=bearer(customer))).json()["items"] == []

    ticket = await open_ticket(client, customer)
    path = f"/api/v1/tickets/{ticket['id']}"
    not_staff = await client.patch(
        path, json={"assignee_id": customer["user"]["id"], "status": "pending"}, headers=bearer(agent)
    )
    assert not_staff.status_code == 422
    assert not_staff.json()["field"] == "assignee_id"
    assert (await client.get(path, headers=bearer(agent))).json()["ticket"]["status"] == "open"
    assert (await client.patch(path, json={"status": "done"}, headers=bearer(agent))).status_code == 400
    assert (await client.patch(path, json={"status": "closed"}, headers=bearer(agent))).status_code == 200
    late = await client.post(f"{path}/messages", json={"body": "¿Sigue ahí?"}, headers=bearer(customer))
    assert late.status_code == 409
    assert (await client.patch(path, json={"status": "open"}, headers=bearer(agent))).status_code == 409


async def test_ticket_pages_follow_their_cursor_and_a_cursor_only_continues_its_own_listing(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    person = await active_customer(client, admin_tokens)
    customer = await log_in(client, person["email"])
    opened = [await open_ticket(client, customer, subject=f"Pregunta {n}") for n in range(3)]
    first = await client.get("/api/v1/tickets", params={"limit": 2}, headers=bearer(customer))
    second = await client.get(
        "/api/v1/tickets", params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=bearer(customer)
    )
    assert [t["id"] for t in first.json()["items"] + second.json()["items"]] == [t["id"] for t in reversed(opened)]
    assert second.json()["next_cursor"] is None
    queue = await client.get("/api/v1/tickets", params={"sort": "oldest_open", "limit": 1}, headers=bearer(agent))
    assert [t["id"] for t in queue.json()["items"]] == [opened[0]["id"]]
    replayed = await client.get(
        "/api/v1/tickets", params={"cursor": queue.json()["next_cursor"]}, headers=bearer(agent)
    )
    assert replayed.status_code == 422


async def test_concurrent_closes_of_one_ticket_leave_exactly_one_audit_event(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    person = await active_customer(client, admin_tokens)
    ticket = await open_ticket(client, await log_in(client, person["email"]))
    path = f"/api/v1/tickets/{ticket['id']}"

    responses = await asyncio.gather(
        *(client.patch(path, json={"status": "closed"}, headers=bearer(agent)) for _ in range(10))
    )
    assert {response.status_code for response in responses} == {200}
    events = await audit_events(client, admin_tokens, subject_id=ticket["id"])
    assert [(event["before"], event["after"]) for event in events] == [({"status": "open"}, {"status": "closed"})]


async def test_an_order_ticket_is_answered_noted_reopened_and_resolved_and_the_stats_show_it(client, admin_tokens):
    agent = await support_agent(client, admin_tokens)
    customer, _, order = await bought_order(client, admin_tokens)
    ticket = await open_ticket(client, customer, subject="No llegó", category="order", order_id=order["id"])
    path = f"/api/v1/tickets/{ticket['id']}"
    assert (ticket["status"], ticket["order_id"]) == ("open", order["id"])

    assigned = await client.patch(path, json={"assignee_id": agent["user"]["id"]}, headers=bearer(agent))
    assert assigned.json()["assignee_id"] == agent["user"]["id"]
    reply = await client.post(f"{path}/messages", json={"body": "Ya lo revisamos"}, headers=bearer(agent))
    note = await client.post(
        f"{path}/messages", json={"body": "La transportadora lo perdió", "internal": True}, headers=bearer(agent)
    )
    assert (reply.status_code, note.status_code) == (201, 201)
    customer_view = (await client.get(path, headers=bearer(customer))).json()
    assert [m["body"] for m in customer_view["messages"]] == ["No llega mi pedido", "Ya lo revisamos"]
    outbox = await client.get(
        "/api/v1/admin/outbox",
        params={"recipient": customer["user"]["email"], "kind": "ticket_reply"},
        headers=bearer(agent),
    )
    [sent] = outbox.json()["items"]
    assert sent["payload"]["ticket_id"] == ticket["id"]
    assert "transportadora" not in str(outbox.json())

    await client.patch(path, json={"status": "pending"}, headers=bearer(agent))
    answer = await client.post(f"{path}/messages", json={"body": "Sigo esperando"}, headers=bearer(customer))
    assert answer.status_code == 201
    assert (await client.get(path, headers=bearer(customer))).json()["ticket"]["status"] == "open"
    resolved = (await client.patch(path, json={"status": "resolved"}, headers=bearer(agent))).json()
    assert resolved["status"] == "resolved"

    period = {"from": ticket["created_at"], "to": (_moment(resolved["resolved_at"]) + timedelta(seconds=1)).isoformat()}
    body = (await client.get("/api/v1/admin/support/stats", params=period, headers=bearer(agent))).json()
    assert (body["opened"], body["by_status"]["resolved"], body["by_category"]["order"]) == (1, 1, 1)
    created = _moment(ticket["created_at"])
    first_response = (_moment(resolved["first_response_at"]) - created).total_seconds()
    assert body["median_first_response_seconds"] == pytest.approx(first_response, abs=1e-3)
    assert body["median_resolution_seconds"] == pytest.approx(
        (_moment(resolved["resolved_at"]) - created).total_seconds(), abs=1e-3
    )


async def test_an_order_ticket_needs_the_requesters_own_order(client, admin_tokens):
    _, store, order = await bought_order(client, admin_tokens)
    stranger = await log_in(client, (await active_customer(client, admin_tokens))["email"])
    other_store = await open_store(client, admin_tokens)
    body = {"subject": "Pedido", "body": "Consulta", "category": "order", "order_id": order["id"]}
    for outsider in (stranger, other_store.manager):
        refused = await client.post("/api/v1/tickets", json=body, headers=bearer(outsider))
        assert refused.status_code == 404
        assert refused.json()["field"] == "order_id"
    seller = await client.post("/api/v1/tickets", json=body, headers=bearer(store.manager))
    assert seller.status_code == 201, seller.text
    assert seller.json()["ticket"]["merchant_id"] == store.id


async def test_a_refund_leaves_exactly_one_audit_event_with_its_request_id(client, admin_tokens):
    _, _, order = await bought_order(client, admin_tokens)
    earlier = await audit_events(client, admin_tokens)
    refunded = await client.post(
        f"/api/v1/admin/orders/{order['id']}/refund",
        json={"reason": "llegó roto"},
        headers=bearer(admin_tokens) | {"X-Request-ID": "refund-1"},
    )
    assert refunded.status_code == 200, refunded.text
    now = await audit_events(client, admin_tokens)
    assert len(now) == len(earlier) + 1
    assert (now[0]["action"], now[0]["subject_id"], now[0]["request_id"]) == ("order.refunded", order["id"], "refund-1")
    assert (now[0]["before"]["status"], now[0]["after"]["status"]) == ("paid", "refunded")
