"""Security headers, CORS and /metrics from settings, and logs that never hold a secret."""

import io
import logging
from dataclasses import replace

import pytest
from sqlalchemy import text

from entrypoints.observability import JsonLogFormatter
from entrypoints.settings import SettingsError, load_settings
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import PASSWORD, bearer, new_person

PRODUCTION_SECRET = "production-secret-for-the-hygiene-tests-0123456789"
METRICS_TOKEN = "metrics-token-0123456789abcdef"


def _production(settings, **overrides):
    env = {
        "COMMERCE_ENV": "production",
        "COMMERCE_SECRET_KEY": PRODUCTION_SECRET,
        "COMMERCE_DATABASE_URL": settings.require_database_url(),
        "COMMERCE_REDIS_URL": settings.require_redis_url(),
        "COMMERCE_DATA_DIR": str(settings.data_dir),
        "COMMERCE_CONSOLE_NOTIFICATIONS": "false",
    } | overrides
    return replace(load_settings(env, dotenv=None), argon2=settings.argon2)


async def test_every_answer_says_nosniff_and_names_no_server(client):
    for path in ("/health", "/api/v1/products", "/no-such-route", "/schema/openapi.json"):
        response = await client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert "server" not in response.headers, path
        assert "strict-transport-security" not in response.headers, path  # development is plain HTTP


async def test_production_asks_browsers_for_https_only(settings):
    async with app_client(_production(settings)) as client:
        for path in ("/health", "/api/v1/products", "/no-such-route"):
            response = await client.get(path)
            assert response.headers["strict-transport-security"].startswith("max-age=31536000"), path
            assert response.headers["x-content-type-options"] == "nosniff", path


async def test_cors_answers_only_the_configured_origins(settings):
    configured = replace(settings, cors_origins=("https://shop.example.com",))
    async with app_client(configured) as client:
        preflight = {"origin": "https://shop.example.com", "access-control-request-method": "POST"}
        allowed = await client.options("/api/v1/auth/login", headers=preflight)
        assert allowed.status_code in {200, 204}
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example.com"
        other = await client.get("/api/v1/products", headers={"origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in other.headers
    async with app_client(settings) as client:  # no origins configured: no CORS at all
        response = await client.get("/api/v1/products", headers={"origin": "https://shop.example.com"})
        assert "access-control-allow-origin" not in response.headers


def test_production_refuses_a_wildcard_origin_and_short_metrics_tokens(settings):
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        _production(settings, COMMERCE_CORS_ORIGINS="*")
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        load_settings({"COMMERCE_CORS_ORIGINS": "shop.example.com"}, dotenv=None)
    with pytest.raises(SettingsError, match="METRICS_TOKEN"):
        load_settings({"COMMERCE_METRICS_TOKEN": "short"}, dotenv=None)
    assert load_settings(
        {"COMMERCE_CORS_ORIGINS": "https://a.example.com, http://localhost:5173"}, None
    ).cors_origins == (
        "https://a.example.com",
        "http://localhost:5173",
    )


async def test_metrics_can_be_restricted_to_a_token(settings):
    async with app_client(replace(settings, metrics_token=METRICS_TOKEN)) as client:
        refused = await client.get("/metrics")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert allowed.status_code == 200
        assert "commerce_" in allowed.text
    async with app_client(settings) as client:  # unset: open, as before
        assert (await client.get("/metrics")).status_code == 200


async def test_logs_never_hold_passwords_tokens_or_codes(settings):
    """A whole account's life on production settings, logged at DEBUG: no secret appears in the output."""
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(JsonLogFormatter())
    production = _production(settings, COMMERCE_LOG_LEVEL="DEBUG")
    async with app_client(production) as client:
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            person = new_person()
            secrets = [PASSWORD, person["national_id"]]
            assert (await client.post("/api/v1/auth/signup", json=person)).status_code == 202
            async with client.app.state.container.adapters.engine.connect() as connection:
                payload = (
                    await connection.execute(text("SELECT payload FROM notifications_outbox ORDER BY id DESC LIMIT 1"))
                ).scalar_one()
            code = payload["code"]
            secrets.append(code)
            activated = await client.post("/api/v1/auth/activate", json={"email": person["email"], "code": code})
            assert activated.status_code == 200, activated.text
            wrong = await client.post("/api/v1/auth/login", json={"username": person["email"], "password": "Wr0ng!pw"})
            assert wrong.status_code == 401
            secrets.append("Wr0ng!pw")
            tokens = (
                await client.post("/api/v1/auth/login", json={"username": person["email"], "password": PASSWORD})
            ).json()
            refreshed = (
                await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            ).json()
            new_password = "amber-lantern-52-otter"
            changed = await client.post(
                "/api/v1/me/password",
                json={"current_password": PASSWORD, "new_password": new_password},
                headers=bearer(refreshed),
            )
            assert changed.status_code in {200, 204}, changed.text
            secrets += [new_password, PRODUCTION_SECRET]
            for pair in (tokens, refreshed):
                secrets += [pair["refresh_token"], pair["access_token"], pair["access_token"].rsplit(".", 1)[1]]
            await client.get("/api/v1/me", headers=bearer(refreshed))  # a token refused after the change
        finally:
            root.removeHandler(handler)
    logged = captured.getvalue()
    assert logged.count("\n") > 5, "the test captured no logs: it would prove nothing"
    leaked = [secret for secret in secrets if secret in logged]
    assert leaked == [], leaked


async def test_options_lists_every_method_a_path_answers(client):
    for path, expected in [("/api/v1/me", {"GET", "PATCH"}), ("/api/v1/cart", {"GET", "DELETE"})]:
        response = await client.options(path)
        assert response.status_code == 204
        assert expected | {"OPTIONS"} <= set(response.headers["allow"].replace(" ", "").split(",")), path
