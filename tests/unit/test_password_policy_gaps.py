"""Issue 13, defect 11: blank and NUL passwords, full-width look-alikes, one's own name, unlimited guesses."""

import pytest

from application.identity.change_password import ChangePasswordCommand
from application.identity.log_in import LogInCommand
from domain.errors import InvalidValue, TooManyAttempts
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Actor
from tests.unit.fakes import IdentityWorld

POLICY = PasswordPolicy(frozenset({"password123", "qwertyuiop"}))
PASSWORD = "violet-harbour-71-kite"
ANA = ("ana.rojas@example.com", "ana.rojas", "Ana", "Rojas")


def full_width(text: str) -> str:
    """The full-width look-alike of printable ASCII (U+FF01 onwards)."""
    return "".join(chr(ord(char) + 0xFEE0) for char in text)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        (" " * 12, "password_blank"),
        ("\u3000" * 12, "password_blank"),  # ideographic spaces
        ("\x00" * 12, "password_control_characters"),
        ("violet-harbour\x00-71", "password_control_characters"),
        (full_width("password123"), "password_too_common"),  # full-width look-alike of password123
        (full_width("QWERTYUIOP"), "password_too_common"),
        ("Rojas-violet-harbour-71", "password_contains_name"),
        ("blue-kite-ANA-river-2024", "password_contains_name"),
        (full_width("rojas") + "-violet-harbour", "password_contains_name"),
    ],
)
def test_the_policy_refuses_what_issue_13_found(password, rule):
    with pytest.raises(InvalidValue) as raised:
        POLICY.check(password, personal_details=ANA)
    assert raised.value.rule == rule
    assert raised.value.field == "password"


def test_an_email_domain_is_not_a_name():
    POLICY.check("welcome-comet-example-9", personal_details=ANA)


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


async def test_wrong_current_password_guesses_are_limited_per_account(world):
    user = world.add_user()
    actor = Actor(user_id=user.id, role=user.role)
    for n in range(5):
        with pytest.raises(InvalidValue):
            await world.change_password(ChangePasswordCommand(actor, f"guess-number-{n}", "new-violet-harbour-99"))
    with pytest.raises(TooManyAttempts) as raised:
        await world.change_password(ChangePasswordCommand(actor, PASSWORD, "new-violet-harbour-99"))
    assert raised.value.retry_after_seconds > 0
    assert world.user_by_email("ana@example.com").password_hash == f"hashed:{PASSWORD}"  # nothing changed

    world.limiter.expire()  # the window ends
    await world.change_password(ChangePasswordCommand(actor, PASSWORD, "new-violet-harbour-99"))
    assert (await world.log_in(LogInCommand("ana@example.com", "new-violet-harbour-99", "10.0.0.1"))).tokens
