"""Issue 13, defects 7 and 8 over HTTP: resends and attempts limited, no account told apart."""

from tests.conftest import standard_limits
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import new_person


async def test_resends_are_limited_per_email_alike_for_unknown_and_waiting_accounts(settings):
    async with app_client(standard_limits(settings)) as client:
        waiting = new_person()
        assert (await client.post("/api/v1/auth/signup", json=waiting)).status_code == 202
        answers = {}
        for email in (waiting["email"], "nadie@example.com"):
            statuses = []
            for _ in range(4):
                response = await client.post("/api/v1/auth/activation-code", json={"email": email})
                statuses.append(response.status_code)
            answers[email] = statuses
            assert "Retry-After" in response.headers
        assert answers[waiting["email"]] == answers["nadie@example.com"] == [202, 202, 202, 429]


async def test_a_days_activation_attempts_run_out_whatever_the_codes(settings):
    async with app_client(standard_limits(settings, activation_attempts_per_account="3/86400")) as client:
        waiting = new_person()
        await client.post("/api/v1/auth/signup", json=waiting)
        statuses = []
        for _ in range(4):
            response = await client.post("/api/v1/auth/activate", json={"email": waiting["email"], "code": "000000"})
            statuses.append(response.status_code)
        assert statuses == [422, 422, 422, 429]
