"""Issue 13, defect 9: failed logins slow the attacker, not the owner (ADR 0014)."""

import pytest

from application.identity.log_in import LogInCommand
from domain.errors import AuthenticationFailed, TooManyAttempts
from domain.identity.lockout import LockoutPolicy
from tests.unit.fakes import IdentityWorld

PASSWORD = "violet-harbour-71-kite"


def test_a_pair_gets_free_failures_then_doubling_waits_up_to_a_cap():
    policy = LockoutPolicy(free_failures=5, first_delay_seconds=4, max_delay_seconds=900)
    assert [policy.pair_delay(n) for n in range(1, 5)] == [0, 0, 0, 0]
    assert [policy.pair_delay(n) for n in range(5, 10)] == [4, 8, 16, 32, 64]
    assert policy.pair_delay(13) == 900
    assert policy.pair_delay(10_000) == 900


def test_the_account_ceiling_is_far_above_a_pairs_free_failures():
    policy = LockoutPolicy()
    assert policy.account_ceiling >= 10 * policy.free_failures
    assert not policy.account_closed(policy.account_ceiling - 1)
    assert policy.account_closed(policy.account_ceiling)


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


def attempt(password: str, address: str, hint: str | None = None) -> LogInCommand:
    return LogInCommand("ana@example.com", password, address, session_hint=hint)


async def _fail_from(world: IdentityWorld, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises((AuthenticationFailed, TooManyAttempts)):
            await world.log_in(attempt("wrong-password-1", address))


async def test_an_attacker_at_one_address_does_not_lock_the_owner_out_elsewhere(world):
    world.add_user()
    await _fail_from(world, "203.0.113.66", 8)
    with pytest.raises(TooManyAttempts):
        await world.log_in(attempt(PASSWORD, "203.0.113.66"))
    assert (await world.log_in(attempt(PASSWORD, "198.51.100.7"))).tokens


async def test_past_the_account_ceiling_only_a_known_session_gets_in(world):
    world.throttle.policy = LockoutPolicy(free_failures=1000, account_ceiling=20)
    world.add_user()
    earlier = (await world.log_in(attempt(PASSWORD, "198.51.100.7"))).tokens  # the owner's device, last month
    for n in range(20):
        await _fail_from(world, f"203.0.113.{n}", 1)  # a spray from many addresses
    with pytest.raises(TooManyAttempts):
        await world.log_in(attempt(PASSWORD, "198.51.100.7"))  # no proof of the device: closed
    assert (await world.log_in(attempt(PASSWORD, "198.51.100.7", hint=earlier.refresh_token))).tokens
    with pytest.raises(TooManyAttempts):  # someone else's token proves nothing about this account
        await world.log_in(attempt(PASSWORD, "203.0.113.1", hint="not-a-refresh-token"))


async def test_a_known_session_still_backs_off_on_wrong_passwords(world):
    world.add_user()
    earlier = (await world.log_in(attempt(PASSWORD, "198.51.100.7"))).tokens
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            await world.log_in(attempt("wrong-password-1", "198.51.100.7", hint=earlier.refresh_token))
    with pytest.raises(TooManyAttempts):  # a stolen old refresh token buys no unlimited guesses
        await world.log_in(attempt(PASSWORD, "10.1.1.1", hint=earlier.refresh_token))
