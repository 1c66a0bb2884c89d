"""Every error, whoever raises it (our code, the router, the body parser, the docs), is a problem document."""

import pytest

from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:commerce:problem:{code}"
    assert body["detail"]
    return body


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/schema/no-such-page", 404, "not_found"),
        ("GET", "/schema/no-such-document.json", 404, "not_found"),
        ("GET", "/no-such-route", 404, "not_found"),
        ("GET", "/api/v1/no-such-route", 404, "not_found"),
        ("DELETE", "/api/v1/auth/login", 405, "method_not_allowed"),
    ],
)
async def test_router_and_docs_refusals_are_problems_with_a_code(client, method, path, status, code):
    assert_problem(await client.request(method, path), status, code)


async def test_malformed_json_is_a_problem_naming_the_body(client):
    response = await client.post(
        "/api/v1/auth/login", content=b'{"username": ', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 400, "malformed_body")
    assert "not valid JSON" in body["detail"]


async def test_an_oversized_body_is_a_problem(client):
    response = await client.post(
        "/api/v1/auth/login", content=b" " * (2 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert_problem(response, 413, "request_too_large")


async def test_a_token_from_before_a_role_change_is_refused_with_a_reason_to_log_in_again(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    applied = await client.post(
        "/api/v1/merchants",
        json={
            "name": "Tienda Norte",
            "legal_id": "900123456-1",
            "description": "Ropa",
            "contact_email": person["email"],
        },
        headers=bearer(tokens),
    )
    assert applied.status_code == 201, applied.text
    approve = f"/api/v1/admin/merchants/{applied.json()['id']}/approve"
    assert (await client.post(approve, headers=bearer(admin_tokens))).status_code == 200

    body = assert_problem(await client.get("/api/v1/me", headers=bearer(tokens)), 401, "credentials_changed")
    assert "log in again" in body["detail"]
    fresh = await log_in(client, person["email"])
    assert (await client.get("/api/v1/me", headers=bearer(fresh))).status_code == 200


async def test_a_201_answers_with_the_location_of_what_it_created(client, admin_tokens):
    category = await client.post("/api/v1/admin/categories", json={"name": "Relojes"}, headers=bearer(admin_tokens))
    assert category.status_code == 201
    assert category.headers["location"] == f"/api/v1/admin/categories/{category.json()['id']}"


async def test_requesting_an_activation_code_answers_202_with_a_small_documented_body(client):
    response = await client.post("/api/v1/auth/activation-code", json={"email": "nadie@example.com"})
    assert response.status_code == 202
    assert response.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"username": "ana@example.com"}, "password"),
        ({"username": "ana@example.com", "password": "x", "admin": True}, "admin"),
    ],
    ids=["missing", "unknown"],
)
async def test_a_missing_or_unknown_field_is_named_itself(client, body, named):
    body = assert_problem(await client.post("/api/v1/auth/login", json=body), 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == [named]
    assert body["detail"] == f"invalid request: {named}"


async def test_a_missing_field_inside_an_object_is_named_by_its_path(client, admin_tokens):
    response = await client.post(
        "/api/v1/checkouts",
        json={"shipping_address": {"recipient": "Ana"}},
        headers=bearer(admin_tokens) | {"Idempotency-Key": "named-path"},
    )
    body = assert_problem(response, 400, "invalid_request")
    [param] = body["invalid_params"]
    assert param["name"].startswith("shipping_address."), param
