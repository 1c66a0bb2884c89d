"""Who gets what from every support desk and audit route: five roles and the anonymous caller."""

from tests.e2e.catalog_flows import add_staff, open_store
from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in
from tests.e2e.support_flows import open_ticket, support_agent

ROLES = ("admin", "support", "merchant_manager", "merchant_staff", "customer", "anonymous")


def _row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


# The customer is the ticket's requester; the store's people belong to another store.
EXPECTED = {
    ("POST", "/tickets"): _row(403, 403, 201, 201, 201, 401),
    ("GET", "/tickets"): _row(200, 200, 200, 200, 200, 401),
    ("GET", "/tickets/{id}"): _row(200, 200, 404, 404, 200, 401),
    ("POST", "/tickets/{id}/messages"): _row(201, 201, 404, 404, 201, 401),
    ("PATCH", "/tickets/{id}"): _row(200, 200, 403, 403, 403, 401),
    ("GET", "/admin/support/stats"): _row(200, 200, 403, 403, 403, 401),
    ("GET", "/admin/audit"): _row(200, 403, 403, 403, 403, 401),
}

BODIES = {
    ("POST", "/tickets"): {"subject": "Ayuda", "body": "No puedo pagar", "category": "payment"},
    ("POST", "/tickets/{id}/messages"): {"body": "Hola"},
    ("PATCH", "/tickets/{id}"): {"priority": "high"},
}


async def test_every_ticket_and_audit_route_answers_each_role_as_designed(client):
    admin = await log_in(client, (await create_admin(client))["email"])
    store = await open_store(client, admin)
    customer = await log_in(client, (await active_customer(client, admin))["email"])
    headers = {
        "admin": bearer(admin),
        "support": bearer(await support_agent(client, admin)),
        "merchant_manager": bearer(store.manager),
        "merchant_staff": bearer(await add_staff(client, store, admin)),
        "customer": bearer(customer),
        "anonymous": {},
    }
    ticket = await open_ticket(client, customer)

    observed: dict[tuple[str, str], dict[str, int]] = {}
    for method, route in EXPECTED:
        path = "/api/v1" + route.replace("{id}", ticket["id"])
        observed[(method, route)] = {}
        for role in ROLES:
            response = await client.request(method, path, json=BODIES.get((method, route)), headers=headers[role])
            observed[(method, route)][role] = response.status_code
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json"), response.text
    assert observed == EXPECTED
