"""Issue 13, defects 1-4 and 13: no input, however hostile, is a 500; bad input is a problem naming the field."""

import base64
import json
from datetime import UTC, datetime
from uuid import uuid4

import jwt
import msgspec
import pytest

from application.ports import ProductQuery, ProductSort
from entrypoints.http.catalog.public import PRODUCTS, _fingerprint
from entrypoints.http.identity.admin import USERS
from entrypoints.http.shared import Cursors
from tests.e2e.catalog_flows import create_category, create_product, open_store, product_body
from tests.e2e.identity_flows import bearer, create_admin, log_in
from tests.e2e.test_problem_documents import assert_problem

JSON = {"content-type": "application/json"}


@pytest.fixture
async def admin_tokens(client):
    return await log_in(client, (await create_admin(client))["email"])


@pytest.fixture
async def shop(client, admin_tokens):
    store = await open_store(client, admin_tokens)
    category = await create_category(client, admin_tokens, "Ropa")
    return store, category["id"]


# --- defect 1: anonymous 500s -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"username": "\xff\xfe", "password": "x"}', id="not-utf8"),
        pytest.param(b"[" * 1500 + b"]" * 1500, id="nested-arrays"),
        pytest.param(b'{"username": ' * 1500 + b'"a"' + b"}" * 1500, id="nested-objects"),
    ],
)
async def test_an_unreadable_json_body_is_a_400_before_authentication(client, body):
    for path in ("/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/me/password"):
        response = await client.post(path, content=body, headers=JSON)
        if path == "/api/v1/me/password":  # behind a token: refused before the body is read
            assert response.status_code == 401, response.text
            continue
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("category=%00", "category"),
        ("q=caf%00e", "q"),
        ("min_price=99999999999999999999", "min_price"),
        ("max_price=9223372036854775808", "max_price"),
    ],
)
async def test_a_query_parameter_beyond_its_type_is_a_400_naming_it(client, query, name):
    body = assert_problem(await client.get(f"/api/v1/products?{query}"), 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == [name]


async def test_a_nul_in_a_cursor_is_the_usual_cursor_problem(client):
    body = assert_problem(await client.get("/api/v1/products?cursor=a%00.b"), 422, "invalid_value")
    assert body["field"] == "cursor"


# --- defect 2: control characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Camisa\x00azul"),
        ("name", "Camisa\nazul"),
        ("name", "Camisa azul\n"),
        ("description", "Algod\x00n"),
        ("description", "line\x1b[31mred"),
        ("sku", "SKU\x00-1"),
    ],
)
async def test_control_characters_in_a_product_are_a_422_naming_the_field(client, shop, field, value):
    store, category = shop
    response = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json=product_body(category, **{field: value}),
        headers=bearer(store.manager),
    )
    body = assert_problem(response, 422, "invalid_value")
    assert body["field"] == field
    assert body["rule"] == "no_control_characters"


async def test_control_characters_in_nested_and_listed_fields_name_their_path(client, shop, admin_tokens):
    store, category = shop
    images = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json=product_body(category, images=["https://img.example.com/\x00.jpg"]),
        headers=bearer(store.manager),
    )
    assert assert_problem(images, 422, "invalid_value")["field"] == "images[0]"
    named = await client.post("/api/v1/admin/categories", json={"name": "Hogar\x00"}, headers=bearer(admin_tokens))
    assert assert_problem(named, 422, "invalid_value")["field"] == "name"


async def test_free_text_keeps_its_line_breaks(client, shop):
    store, category = shop
    product = await create_product(
        client, store.id, store.manager, category, description="Algodón.\nLavar en frío.\r\nHecho a mano."
    )
    assert "\n" in product["description"]


@pytest.mark.parametrize(("path", "name"), [("/api/v1/admin/users", "q"), ("/api/v1/admin/outbox", "recipient")])
async def test_control_characters_in_staff_filters_are_refused(client, admin_tokens, path, name):
    response = await client.get(path, params={name: "a\x00b"}, headers=bearer(admin_tokens))
    body = assert_problem(response, 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == [name]


# --- defect 3: numbers beyond their columns ---------------------------------------------------------


async def test_stock_cannot_be_moved_past_its_cap_and_never_overflows_the_column(client, shop):
    store, category = shop
    product = await create_product(client, store.id, store.manager, category, stock=999_500_000)
    path = f"/api/v1/merchants/{store.id}/products/{product['id']}/stock"
    accepted = await client.post(path, json={"delta": 500_000, "reason": "llegada"}, headers=bearer(store.manager))
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["resulting_level"] == 1_000_000_000
    # Far below int4's 2,147,483,647: without the cap, 1,148 such movements overflowed the column.
    refused = await client.post(path, json={"delta": 1, "reason": "llegada"}, headers=bearer(store.manager))
    body = assert_problem(refused, 422, "invalid_value")
    assert (body["field"], body["rule"]) == ("delta", "stock_cap")


@pytest.mark.parametrize(
    ("overrides", "name"),
    [
        ({"stock": 2**31}, "stock"),
        ({"price": {"amount_minor": 2**63, "currency": "COP"}}, "price.amount_minor"),
    ],
)
async def test_numbers_beyond_their_limits_are_refused_at_the_boundary(client, shop, overrides, name):
    store, category = shop
    response = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        json=product_body(category, **overrides),
        headers=bearer(store.manager),
    )
    body = assert_problem(response, 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == [name]


# --- defect 4: signed data is validated after decoding ----------------------------------------------


def _forged_token(secret: str, real: str, **claims: object) -> str:
    """A token signed with the server's key: ``real``'s claims (a live session), then ``claims`` on top."""
    payload = jwt.decode(real, options={"verify_signature": False}) | claims
    return jwt.encode(payload, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": 10**20}, id="exp-beyond-datetime"),
        pytest.param({"exp": 2**62}, id="exp-far-future"),
        pytest.param({"exp": int(datetime.now(UTC).timestamp()) + 10 * 365 * 24 * 3600}, id="ten-year-token"),
        pytest.param({"ver": 2**40}, id="ver-beyond-int4"),
        pytest.param({"ver": 1.0}, id="ver-as-float"),
        pytest.param({"sub": 7}, id="sub-as-number"),
        pytest.param({"sid": ["x"]}, id="sid-as-list"),
    ],
)
async def test_a_validly_signed_token_with_absurd_claims_is_a_401(client, settings, admin_tokens, claims):
    real = admin_tokens["access_token"]
    same = _forged_token(settings.secret_key, real)
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {same}"})).status_code == 200
    token = _forged_token(settings.secret_key, real, **claims)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "authentication_failed")


def _signed_cursor(secret: str, content: dict) -> str:
    cursors = Cursors(secret)
    body = msgspec.json.encode(content)
    return f"{_b64(body)}.{_b64(cursors._sign(body))}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "position",
    [
        pytest.param(["not-a-uuid"], id="bad-id"),
        pytest.param([10**30, "01a21a1c-7b82-7750-8041-0e757df00c1a"], id="price-beyond-bigint"),
        pytest.param([{"a": 1}, "01a21a1c-7b82-7750-8041-0e757df00c1a"], id="object-key"),
        pytest.param([1e308, "01a21a1c-7b82-7750-8041-0e757df00c1a"], id="huge-float"),
        pytest.param([1, 2, 3], id="too-long"),
        pytest.param("01a21a1c-7b82-7750-8041-0e757df00c1a", id="not-a-list"),
    ],
)
async def test_a_signed_cursor_with_a_malformed_position_is_refused_not_a_500(client, settings, position):
    for sort in (ProductSort.NEWEST, ProductSort.PRICE_ASC):
        scope = _fingerprint(ProductQuery(sort=sort))
        cursor = _signed_cursor(settings.secret_key, {"k": PRODUCTS.name, "p": position, "q": scope})
        response = await client.get("/api/v1/products", params={"cursor": cursor, "sort": sort.value})
        assert assert_problem(response, 422, "invalid_value")["field"] == "cursor"


async def test_a_signed_id_cursor_holding_a_number_is_refused(client, settings, admin_tokens):
    cursor = _signed_cursor(settings.secret_key, {"k": USERS.name, "p": 12345})
    response = await client.get("/api/v1/admin/users", params={"cursor": cursor}, headers=bearer(admin_tokens))
    assert assert_problem(response, 422, "invalid_value")["field"] == "cursor"


# --- defect 13: strict JSON, JSON only --------------------------------------------------------------


@pytest.mark.parametrize("amount", ['"150000"', "150000.0", "1.5e5"])
async def test_an_integer_is_never_read_from_a_string_or_a_float(client, shop, amount):
    store, category = shop
    text = json.dumps(product_body(category, price={"amount_minor": 424242, "currency": "COP"}))
    response = await client.post(
        f"/api/v1/merchants/{store.id}/products",
        content=text.replace("424242", amount),
        headers=bearer(store.manager) | JSON,
    )
    body = assert_problem(response, 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == ["price.amount_minor"]


@pytest.mark.parametrize("flag", [0, 1, "true"])
async def test_a_boolean_is_never_read_from_a_number_or_a_string(client, admin_tokens, flag):
    # The body is refused before any account is looked up, so any id does.
    response = await client.patch(
        f"/api/v1/admin/users/{uuid4()}", json={"is_active": flag}, headers=bearer(admin_tokens)
    )
    body = assert_problem(response, 400, "invalid_request")
    assert [param["name"] for param in body["invalid_params"]] == ["is_active"]


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", b'{"username": "a@example.com", "password": "x"}'),
        ("application/x-www-form-urlencoded", b"username=a%40example.com&password=x"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\n--x--\r\n"),
        (None, b'{"username": "a@example.com", "password": "x"}'),
    ],
)
async def test_a_body_that_is_not_declared_json_is_a_415(client, content_type, content):
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/api/v1/auth/login", content=content, headers=headers)
    assert_problem(response, 415, "unsupported_media_type")


async def test_json_with_a_charset_or_a_json_suffix_is_read(client):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await client.post(
            "/api/v1/auth/login",
            content=b'{"username": "nobody@example.com", "password": "x"}',
            headers={"content-type": content_type},
        )
        assert response.status_code == 401, response.text


@pytest.mark.parametrize("path", ["/api/v1/admin/support/stats", "/api/v1/admin/audit"])
async def test_a_date_time_filter_is_iso_8601_not_a_number(client, admin_tokens, path):
    body = assert_problem(
        await client.get(path, params={"to": "0.5"}, headers=bearer(admin_tokens)), 400, "invalid_request"
    )
    assert [param["name"] for param in body["invalid_params"]] == ["to"]
    fine = await client.get(path, params={"from": "2026-01-01T00:00:00Z"}, headers=bearer(admin_tokens))
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize("path", ["/api/v1/admin/support/stats", "/api/v1/admin/audit"])
async def test_an_impossible_date_is_refused_under_the_name_the_client_sent(client, admin_tokens, path):
    """The handler's argument is ``occurred_from``; the problem names ``from``, as the query and the docs do."""
    for name in ("from", "to"):
        response = await client.get(path, params={name: "9999-99-99T00:00:00Z"}, headers=bearer(admin_tokens))
        body = assert_problem(response, 400, "invalid_request")
        assert [(param["name"], param["in"]) for param in body["invalid_params"]] == [(name, "query")]
        assert body["detail"] == f"invalid request: {name}"
