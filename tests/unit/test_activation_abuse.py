"""Issue 13, defect 7: resends limited per email, activation attempts per account per day."""

import pytest

from application.identity.activate_account import REFUSAL_FLOOR, ActivateAccountCommand
from application.identity.request_activation_code import SEND_FLOOR, RequestActivationCodeCommand
from domain.errors import InvalidValue, TooManyAttempts
from tests.unit.fakes import IdentityWorld


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


async def test_resends_are_limited_per_email_whether_or_not_it_has_an_account(world):
    world.add_user(email="waiting@example.com", active=False)
    for email in ("waiting@example.com", "nobody@example.com"):
        for _ in range(3):
            await world.request_code(RequestActivationCodeCommand(email=email))
        with pytest.raises(TooManyAttempts):
            await world.request_code(RequestActivationCodeCommand(email=f"  {email.upper()} "))
    assert len([m for m in world.database.outbox if m.recipient == "waiting@example.com"]) == 3


async def test_fresh_codes_do_not_buy_more_than_a_days_attempts(world):
    world.add_user(email="waiting@example.com", active=False)
    guesses = 0
    for _ in range(3):  # three codes, each over a new hour of resends
        world.limiter.counts.pop(("activation_code_per_email", "waiting@example.com"), None)
        await world.request_code(RequestActivationCodeCommand(email="waiting@example.com"))
        for _ in range(5):
            with pytest.raises(InvalidValue):
                await world.activate(ActivateAccountCommand(email="waiting@example.com", code="000000"))
            guesses += 1
    world.limiter.counts.pop(("activation_code_per_email", "waiting@example.com"), None)
    await world.request_code(RequestActivationCodeCommand(email="waiting@example.com"))
    right = world.secrets.codes[-1]
    with pytest.raises(TooManyAttempts):  # the day's 15 attempts are used up: even the right code waits
        await world.activate(ActivateAccountCommand(email="waiting@example.com", code=right))
    assert guesses == 15


async def test_unknown_and_waiting_accounts_do_the_same_work(world):
    world.add_user(email="waiting@example.com", active=False)
    await world.request_code(RequestActivationCodeCommand(email="waiting@example.com"))
    digests_before = world.digester.calls
    for email in ("nobody@example.com", "waiting@example.com"):
        with pytest.raises(InvalidValue):
            await world.activate(ActivateAccountCommand(email=email, code="000000"))
    assert world.digester.calls - digests_before == 2


async def test_every_refusal_waits_for_the_same_moment(world):
    world.add_user(email="waiting@example.com", active=False)
    await world.request_code(RequestActivationCodeCommand(email="waiting@example.com"))
    world.pause.moments.clear()
    for email in ("nobody@example.com", "waiting@example.com"):
        with pytest.raises(InvalidValue):
            await world.activate(ActivateAccountCommand(email=email, code="000000"))
    assert world.pause.moments == [world.clock.now() + REFUSAL_FLOOR] * 2


async def test_a_resend_ends_at_the_same_moment_for_unknown_and_waiting_accounts(world):
    world.add_user(email="waiting@example.com", active=False)
    for email in ("nobody@example.com", "waiting@example.com"):
        await world.request_code(RequestActivationCodeCommand(email=email))
    assert world.pause.moments == [world.clock.now() + SEND_FLOOR] * 2
