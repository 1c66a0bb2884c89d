"""Issue 13, defect 10: logout and refresh-token reuse end the session's other access tokens at once."""

import pytest

from application.identity.log_in import LogInCommand
from application.identity.refresh_session import RefreshSessionCommand
from domain.errors import AuthenticationFailed
from tests.unit.fakes import IdentityWorld

PASSWORD = "violet-harbour-71-kite"


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


async def _session_with_two_access_tokens(world: IdentityWorld):
    world.add_user()
    first = (await world.log_in(LogInCommand("ana@example.com", PASSWORD, "10.0.0.1"))).tokens
    second = await world.refresh(RefreshSessionCommand(refresh_token=first.refresh_token))
    return first, second


@pytest.mark.parametrize("redis_answers", [True, False])
async def test_logout_ends_every_access_token_of_the_session(world, redis_answers):
    first, second = await _session_with_two_access_tokens(world)
    other_session = (await world.log_in(LogInCommand("ana@example.com", PASSWORD, "10.0.0.1"))).tokens
    await world.log_out((await world.authenticate(second.access_token)).claims)
    world.denylist.available = redis_answers  # without Redis, PostgreSQL's record answers
    for token in (first.access_token, second.access_token):
        with pytest.raises(AuthenticationFailed):
            await world.authenticate(token)
    assert (await world.authenticate(other_session.access_token)).actor.role.value == "customer"


async def test_refresh_token_reuse_ends_every_access_token_of_the_session(world):
    first, second = await _session_with_two_access_tokens(world)
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token=first.refresh_token))
    for token in (first.access_token, second.access_token):
        with pytest.raises(AuthenticationFailed):
            await world.authenticate(token)
