"""Rate limiting for the whole API (issue 13): 429 problem documents with Retry-After and RateLimit-* headers."""

import dataclasses

from tests.conftest import standard_limits
from tests.e2e.conftest import app_client


async def test_search_is_limited_per_client_with_retry_after_and_ratelimit_headers(settings):
    async with app_client(standard_limits(settings, search_per_client="3/60")) as client:
        for _ in range(3):
            assert (await client.get("/api/v1/products", params={"q": "zapatos"})).status_code == 200
        refused = await client.get("/api/v1/products", params={"q": "zapatos"})
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "too_many_attempts"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["RateLimit-Limit"] == "3"
        assert refused.headers["RateLimit-Remaining"] == "0"
        assert refused.headers["RateLimit-Reset"] == refused.headers["Retry-After"]
        assert refused.headers["RateLimit-Policy"] == "3;w=60"


async def test_the_cached_listing_path_is_not_rate_limited(settings):
    async with app_client(standard_limits(settings, search_per_client="3/60")) as client:
        for _ in range(10):
            assert (await client.get("/api/v1/products")).status_code == 200


async def test_signup_is_limited_per_client(settings):
    async with app_client(standard_limits(settings, signup_per_client="2/3600")) as client:
        answers = []
        for n in range(3):
            person = {
                "email": f"limited{n}@example.com",
                "phone": f"3209{n:06d}",
                "national_id": f"77{n:08d}",
                "first_name": "Ana",
                "last_name": "Rojas",
                "password": "violet-harbour-71-kite",
            }
            answers.append((await client.post("/api/v1/auth/signup", json=person)).status_code)
        assert answers[2] == 429
        assert all(status < 400 for status in answers[:2])


async def test_limits_hold_in_this_process_when_redis_is_down(settings):
    down = dataclasses.replace(standard_limits(settings, search_per_client="2/60"), redis_url="redis://127.0.0.1:1/0")
    async with app_client(down) as client:
        statuses = [(await client.get("/api/v1/products", params={"q": "x"})).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


async def test_relaxed_limits_let_a_load_test_through(settings):
    async with app_client(settings) as client:  # the test settings are relaxed
        for _ in range(20):
            assert (await client.get("/api/v1/products", params={"q": "x"})).status_code == 200
