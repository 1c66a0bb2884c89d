"""Issue 13, defect 11 over HTTP: the password policy gaps, and /me/password guesses limited."""

import pytest

from tests.conftest import standard_limits
from tests.e2e.conftest import app_client
from tests.e2e.identity_flows import PASSWORD, active_customer, bearer, create_admin, log_in, new_person


def full_width(text: str) -> str:
    """The full-width look-alike of printable ASCII (U+FF01 onwards)."""
    return "".join(chr(ord(char) + 0xFEE0) for char in text)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        (" " * 12, "password_blank"),
        (full_width("password123"), "password_too_common"),
        ("rojas-violet-harbour-71", "password_contains_name"),
    ],
)
async def test_signup_refuses_blank_look_alike_and_own_name_passwords(client, password, rule):
    response = await client.post("/api/v1/auth/signup", json=new_person() | {"password": password})
    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["rule"]) == ("password", rule)


async def test_wrong_current_password_guesses_are_limited(settings):
    async with app_client(standard_limits(settings)) as client:
        admin = await log_in(client, (await create_admin(client))["email"])
        person = await active_customer(client, admin)
        tokens = await log_in(client, person["email"])
        for n in range(5):
            wrong = await client.post(
                "/api/v1/me/password",
                json={"current_password": f"guess-number-{n}", "new_password": "new-violet-harbour-99"},
                headers=bearer(tokens),
            )
            assert wrong.status_code == 422, wrong.text
        right = await client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "new-violet-harbour-99"},
            headers=bearer(tokens),
        )
        assert right.status_code == 429, right.text
        assert int(right.headers["Retry-After"]) > 0
