"""A refused value is explained in words that name the field, never in the decoder's internals."""

import pytest

from tests.e2e.identity_flows import active_customer, bearer, create_admin, log_in
from tests.e2e.test_problem_documents import assert_problem

JSON = {"content-type": "application/json"}
THIRTY_NINE_DIGITS = b"123456789012345678901234567890123456789"
SOME_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
async def customer_tokens(client):
    admin_tokens = await log_in(client, (await create_admin(client))["email"])
    return await log_in(client, (await active_customer(client, admin_tokens))["email"])


async def test_a_long_number_in_a_text_field_is_called_a_number_not_a_float(client):
    body = b'{"username": ' + THIRTY_NINE_DIGITS + b', "password": "x"}'
    problem = assert_problem(
        await client.post("/api/v1/auth/login", content=body, headers=JSON), 400, "invalid_request"
    )
    assert problem["invalid_params"] == [
        {"name": "username", "reason": "username must be a string, not a number", "in": "body"}
    ]


async def test_a_quantity_beyond_any_number_is_out_of_range_naming_the_field(client, customer_tokens):
    response = await client.put(
        f"/api/v1/cart/items/{SOME_ID}", content=b'{"quantity": 1e400}', headers=JSON | bearer(customer_tokens)
    )
    problem = assert_problem(response, 400, "invalid_request")
    assert problem["invalid_params"] == [
        {"name": "quantity", "reason": "quantity is a number out of range", "in": "body"}
    ]


async def test_a_query_number_beyond_any_number_is_out_of_range_naming_it(client):
    problem = assert_problem(await client.get("/api/v1/products?limit=1e400"), 400, "invalid_request")
    assert problem["invalid_params"] == [{"name": "limit", "reason": "limit is a number out of range", "in": "query"}]


@pytest.mark.parametrize("query", ["q=caf%01e", "category=%00"])
async def test_control_characters_in_a_filter_are_named_without_showing_the_pattern(client, query):
    problem = assert_problem(await client.get(f"/api/v1/products?{query}"), 400, "invalid_request")
    name = query.split("=", 1)[0]
    assert problem["invalid_params"] == [
        {"name": name, "reason": f"{name} must not contain control characters", "in": "query"}
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/products/not-a-uuid", "product_id"),
        (f"/api/v1/merchants/{SOME_ID}/products/not-a-uuid", "product_id"),
        (f"/api/v1/merchants/12345/products/{SOME_ID}", "merchant_id"),
        ("/api/v1/orders/not-a-uuid/invoice", "order_id"),
    ],
)
async def test_a_path_id_that_is_not_a_uuid_is_a_404_naming_the_parameter(client, path, name):
    problem = assert_problem(await client.get(path), 404, "not_found")
    assert problem["field"] == name
    assert problem["detail"] == f"{name} is not a valid identifier: ids are UUIDs"


async def test_a_path_that_matches_no_route_keeps_the_general_404(client):
    problem = assert_problem(await client.get("/api/v1/products/not-a-uuid/reviews"), 404, "not_found")
    assert "field" not in problem
    assert "/api/v1" in problem["detail"]
