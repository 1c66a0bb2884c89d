"""Identity over HTTP on real PostgreSQL and Redis: the acceptance points of the identity issue."""

import asyncio
import dataclasses
import re

import pytest
from sqlalchemy import event, text

from tests.conftest import standard_limits
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import (
    PASSWORD,
    active_customer,
    bearer,
    create_admin,
    latest_code,
    log_in,
    new_person,
)

PROBLEM = "application/problem+json"


@pytest.fixture
async def admin_tokens(client):
    admin = await create_admin(client)
    return await log_in(client, admin["email"])


async def test_the_full_flow_from_signup_to_a_logout_that_really_revokes(client, admin_tokens):
    person = new_person()
    person["phone"] = "3001234567"
    signed_up = await client.post("/api/v1/auth/signup", json=person)
    assert signed_up.status_code == 202  # issue 13: the same answer whether or not the details are taken
    assert signed_up.json()["status"] == "accepted"
    assert "password" not in signed_up.text

    inactive = await client.post("/api/v1/auth/login", json={"username": person["email"], "password": PASSWORD})
    assert inactive.status_code == 403

    code = await latest_code(client, admin_tokens, person["email"])
    activated = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": code})
    assert activated.status_code == 200
    assert activated.json() == {"is_active": True}

    by_email = await log_in(client, person["email"].upper())
    assert by_email["token_type"] == "Bearer"
    assert by_email["user"]["email"] == person["email"]
    for spelling in ("3001234567", "57 300 123 4567", "+573001234567"):
        assert (await log_in(client, spelling))["user"]["id"] == by_email["user"]["id"]

    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": by_email["refresh_token"]})
    assert refreshed.status_code == 200
    tokens = refreshed.json()
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 200

    assert (await client.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    spent = await client.post("/api/v1/auth/refresh", json={"refresh_token": by_email["refresh_token"]})
    assert spent.status_code == 401


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    first = await log_in(client, person["email"])
    second = (await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    assert reuse.headers["content-type"].startswith(PROBLEM)
    stolen_successor = await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert stolen_successor.status_code == 401


async def _metric(client, name: str, labels: str = "") -> float:
    """The value of one sample on /metrics (``labels`` as printed, e.g. ``reason="unknown_user"``)."""
    text = (await client.get("/metrics")).text
    sample = re.escape(name + (f"{{{labels}}}" if labels else ""))
    match = re.search(rf"^{sample} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_a_second_login_is_a_cache_hit_that_runs_no_sql_before_issuing_tokens(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    engine = client.app.state.container.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    hits = await _metric(client, "commerce_login_cache_hits_total")
    misses = await _metric(client, "commerce_login_cache_misses_total")
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await log_in(client, person["email"])
        first_login = list(statements)
        statements.clear()
        await log_in(client, person["email"])
        second_login = list(statements)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)

    assert any(statement.lstrip().upper().startswith("SELECT") for statement in first_login)
    # On the hit, the only SQL is storing the new session's refresh token.
    assert second_login
    assert all("refresh_tokens" in statement and "INSERT" in statement.upper() for statement in second_login)
    assert await _metric(client, "commerce_login_cache_misses_total") == misses + 1
    assert await _metric(client, "commerce_login_cache_hits_total") == hits + 1


async def test_metrics_expose_login_failures_and_request_latency(client, admin_tokens):
    before = await _metric(client, "commerce_login_failures_total", 'reason="unknown_user"')
    response = await client.post("/api/v1/auth/login", json={"username": "ghost@example.com", "password": "whatever-1"})
    assert response.status_code == 401
    text = (await client.get("/metrics")).text
    assert 'commerce_login_failures_total{reason="unknown_user"}' in text
    assert await _metric(client, "commerce_login_failures_total", 'reason="unknown_user"') == before + 1
    assert "commerce_request_duration_seconds_bucket" in text


async def test_unknown_user_and_wrong_password_get_the_same_401(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    unknown = await client.post("/api/v1/auth/login", json={"username": "ghost@example.com", "password": PASSWORD})
    wrong = await client.post("/api/v1/auth/login", json={"username": person["email"], "password": "wrong-one-123"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.headers["www-authenticate"].startswith("Bearer")


async def test_a_password_change_takes_effect_on_the_next_login_and_on_existing_tokens(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    await log_in(client, person["email"])  # the credentials are now cached
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "new-violet-harbour-99"},
        headers=bearer(tokens),
    )
    assert changed.status_code == 204
    old = await client.post("/api/v1/auth/login", json={"username": person["email"], "password": PASSWORD})
    assert old.status_code == 401
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    await log_in(client, person["email"], "new-violet-harbour-99")


async def test_deactivation_takes_effect_on_the_next_login_and_on_existing_tokens(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    await log_in(client, person["email"])
    user_id = tokens["user"]["id"]
    response = await client.patch(
        f"/api/v1/admin/users/{user_id}", json={"is_active": False}, headers=bearer(admin_tokens)
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    login = await client.post("/api/v1/auth/login", json={"username": person["email"], "password": PASSWORD})
    assert login.status_code == 403


async def test_a_role_change_takes_effect_on_the_next_login_and_on_existing_tokens(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    user_id = tokens["user"]["id"]
    assert (await client.get("/api/v1/admin/users", headers=bearer(tokens))).status_code == 403
    response = await client.patch(
        f"/api/v1/admin/users/{user_id}", json={"role": "support"}, headers=bearer(admin_tokens)
    )
    assert response.status_code == 200
    assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401
    promoted = await log_in(client, person["email"])
    assert promoted["user"]["role"] == "support"
    assert (await client.get("/api/v1/admin/users", headers=bearer(promoted))).status_code == 200


async def test_login_keeps_working_when_redis_is_down(settings):
    async with app_client(dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0")) as client:
        admin = await create_admin(client)
        admin_tokens = await log_in(client, admin["email"])
        person = await active_customer(client, admin_tokens)
        tokens = await log_in(client, person["email"])
        me = await client.get("/api/v1/me", headers=bearer(tokens))
        assert me.status_code == 200
        assert (await client.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204
        assert (await client.get("/api/v1/me", headers=bearer(tokens))).status_code == 401


async def test_the_sixth_wrong_password_is_throttled_even_with_the_right_password(settings):
    async with app_client(standard_limits(settings)) as client:  # the test settings relax every limit
        admin_tokens = await log_in(client, (await create_admin(client))["email"])
        person = await active_customer(client, admin_tokens)
        for _ in range(5):
            wrong = await client.post(
                "/api/v1/auth/login", json={"username": person["email"], "password": "wrong-one-123"}
            )
            assert wrong.status_code == 401
        blocked = await client.post("/api/v1/auth/login", json={"username": person["phone"], "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.headers["content-type"].startswith(PROBLEM)


async def test_fifty_concurrent_signups_with_one_email_make_exactly_one_account(client):
    people = [new_person() for _ in range(50)]
    for person in people:
        person["email"] = "race@example.com"
    responses = await asyncio.gather(*(client.post("/api/v1/auth/signup", json=person) for person in people))
    # issue 13: every one hears the same; the database makes exactly one account
    assert {response.status_code for response in responses} == {202}
    assert len({response.text for response in responses}) == 1
    async with client.app.state.container.adapters.session_factory() as session:
        count = await session.scalar(text("SELECT count(*) FROM users WHERE email = 'race@example.com'"))
    assert count == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"password": "short"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"first_name": ""}, "first_name"),
    ],
)
async def test_bad_signup_input_is_a_problem_naming_the_field_and_writes_nothing(client, admin_tokens, change, field):
    person = new_person() | change
    response = await client.post("/api/v1/auth/signup", json=person)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    named = body.get("field") or [param["name"] for param in body.get("invalid_params", [])]
    assert field in named
    listing = await client.get("/api/v1/admin/users", params={"q": person["email"]}, headers=bearer(admin_tokens))
    assert listing.json()["items"] == []


@pytest.mark.parametrize("taken", ["email", "phone", "national_id"])
async def test_a_duplicate_signup_answers_like_a_new_one_and_the_owner_is_told(client, admin_tokens, taken):
    # issue 13, defect 8: signup no longer tells anyone who has an account (the national id is PII)
    person = new_person()
    first = await client.post("/api/v1/auth/signup", json=person)
    again = new_person() | {taken: person[taken]}
    second = await client.post("/api/v1/auth/signup", json=again)
    assert (second.status_code, second.json(), second.headers.get("location")) == (
        first.status_code,
        first.json(),
        first.headers.get("location"),
    )
    assert first.status_code == 202
    told = await client.get(
        "/api/v1/admin/outbox",
        params={"recipient": person["email"], "kind": "signup_with_your_details"},
        headers=bearer(admin_tokens),
    )
    assert [message["payload"]["field"] for message in told.json()["items"]] == [taken]
    listing = await client.get("/api/v1/admin/users", params={"q": again["email"]}, headers=bearer(admin_tokens))
    assert listing.json()["items"] == [] or taken == "email"


async def test_activation_code_requests_always_answer_202(client, admin_tokens):
    for email in ("ghost@example.com", "not-even-an-email"):
        response = await client.post("/api/v1/auth/activation-code", json={"email": email})
        assert response.status_code == 202
    person = new_person()
    await client.post("/api/v1/auth/signup", json=person)
    first = await latest_code(client, admin_tokens, person["email"])
    assert (await client.post("/api/v1/auth/activation-code", json={"email": person["email"]})).status_code == 202
    second = await latest_code(client, admin_tokens, person["email"])
    stale = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": first})
    if first != second:
        assert stale.status_code == 422
    fresh = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": second})
    assert fresh.status_code == 200


async def test_profile_updates_and_phone_conflicts(client, admin_tokens):
    person = await active_customer(client, admin_tokens)
    other = await active_customer(client, admin_tokens)
    tokens = await log_in(client, person["email"])
    updated = await client.patch(
        "/api/v1/me", json={"first_name": "Anita", "phone": "+573209998877"}, headers=bearer(tokens)
    )
    assert updated.status_code == 200
    assert updated.json()["first_name"] == "Anita"
    await log_in(client, "3209998877")
    old_phone = await client.post("/api/v1/auth/login", json={"username": person["phone"], "password": PASSWORD})
    assert old_phone.status_code == 401
    taken = await client.patch("/api/v1/me", json={"phone": other["phone"]}, headers=bearer(tokens))
    assert taken.status_code == 409
    assert taken.json()["field"] == "phone"


async def test_staff_list_users_with_filters_and_keyset_cursors(client, admin_tokens):
    for _ in range(5):
        await active_customer(client, admin_tokens)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"role": "customer", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/admin/users", params=params, headers=bearer(admin_tokens))).json()
        seen += [user["id"] for user in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    tampered = await client.get("/api/v1/admin/users", params={"cursor": "abc.def"}, headers=bearer(admin_tokens))
    assert tampered.status_code == 422
    assert tampered.json()["field"] == "cursor"


async def test_support_may_deactivate_customers_only(client, admin_tokens):
    support = await active_customer(client, admin_tokens)
    support_id = (await log_in(client, support["email"]))["user"]["id"]
    await client.patch(f"/api/v1/admin/users/{support_id}", json={"role": "support"}, headers=bearer(admin_tokens))
    support_tokens = await log_in(client, support["email"])
    customer = await active_customer(client, admin_tokens)
    customer_id = (await log_in(client, customer["email"]))["user"]["id"]
    admin_id = admin_tokens["user"]["id"]
    ok = await client.patch(
        f"/api/v1/admin/users/{customer_id}", json={"is_active": False}, headers=bearer(support_tokens)
    )
    assert ok.status_code == 200
    for target, body in ((admin_id, {"is_active": False}), (customer_id, {"role": "admin"})):
        refused = await client.patch(f"/api/v1/admin/users/{target}", json=body, headers=bearer(support_tokens))
        assert refused.status_code == 403


async def test_protected_routes_need_a_valid_bearer_token(client):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}):
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith(PROBLEM)
