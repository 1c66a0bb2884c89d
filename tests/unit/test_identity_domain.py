from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.errors import InvalidValue
from domain.identity.activation import MAX_ATTEMPTS, ActivationCode
from domain.identity.contact import Email, NationalId, Phone, login_key
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role, UserId
from domain.identity.users import User

NOW = datetime(2026, 11, 26, tzinfo=UTC)
POLICY = PasswordPolicy(frozenset({"password1234", "qwertyuiop"}))


@pytest.mark.parametrize("spelling", ["3001234567", "57 300 123 4567", "+573001234567", "+57 (300) 123-4567"])
def test_colombian_phone_spellings_normalise_to_one_e164_number(spelling):
    assert Phone.parse(spelling).value == "+573001234567"


def test_other_countries_need_their_plus_prefix():
    assert Phone.parse("+1 415 555 0100").value == "+14155550100"
    with pytest.raises(InvalidValue) as raised:
        Phone.parse("4155550100")
    assert raised.value.field == "phone"


def test_email_is_case_insensitive():
    assert Email.parse("  Ana.Rojas@Example.COM ") == Email.parse("ana.rojas@example.com")
    with pytest.raises(InvalidValue):
        Email.parse("not-an-email")


def test_a_username_is_an_email_or_a_phone():
    assert login_key("ANA@example.com") == Email("ana@example.com")
    assert login_key("300 123 4567") == Phone("+573001234567")


def test_national_id_is_normalised():
    assert NationalId.parse("1.020.304.050").value == "1020304050"
    with pytest.raises(InvalidValue):
        NationalId.parse("12")


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", "password_too_short"),
        ("x" * 129, "password_too_long"),
        ("12345678901", "password_only_digits"),
        ("QwertyUiop", "password_too_common"),
        ("ana.rojas.2026", "password_too_similar"),
        ("AnaRojas1", "password_too_short"),
    ],
)
def test_password_policy_names_the_rule_broken(password, rule):
    with pytest.raises(InvalidValue) as raised:
        POLICY.check(password, personal_details=("ana.rojas@example.com", "ana.rojas", "Ana", "Rojas"))
    assert raised.value.rule == rule
    assert raised.value.field == "password"


def test_a_strong_unrelated_password_passes():
    POLICY.check("violet-harbour-71-kite", personal_details=("ana.rojas@example.com", "Ana", "Rojas"))


def _user() -> User:
    return User.sign_up(
        id=UserId(UUID(int=1)),
        email=Email.parse("ana@example.com"),
        phone=Phone.parse("3001234567"),
        national_id=NationalId.parse("1020304050"),
        first_name="Ana",
        last_name="Rojas",
        password_hash="h",
        now=NOW,
    )


def test_signup_makes_an_inactive_customer():
    user = _user()
    assert user.role is Role.CUSTOMER
    assert not user.is_active


def test_password_role_and_status_changes_move_the_credentials_version():
    user = _user()
    versions = [user.credentials_version]
    user.activate(NOW)
    versions.append(user.credentials_version)
    user.change_password("h2", NOW)
    versions.append(user.credentials_version)
    user.change_role(Role.SUPPORT, NOW)
    versions.append(user.credentials_version)
    user.deactivate(NOW)
    versions.append(user.credentials_version)
    assert versions == sorted(set(versions))


def test_profile_edits_and_hash_upgrades_keep_sessions():
    user = _user()
    version = user.credentials_version
    user.update_profile(first_name="Anita", last_name=None, phone=None, now=NOW)
    user.upgrade_password_hash("stronger", NOW)
    assert user.credentials_version == version


def test_times_must_be_timezone_aware():
    with pytest.raises(InvalidValue):
        _user().change_password("h", datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test


def test_an_activation_code_expires_and_dies_after_five_wrong_tries():
    code = ActivationCode.issue(UserId(UUID(int=1)), "digest", NOW)
    assert code.is_usable(NOW + timedelta(minutes=14))
    assert not code.is_usable(NOW + timedelta(minutes=15))
    for _ in range(MAX_ATTEMPTS):
        code.record_wrong_attempt()
    assert not code.is_usable(NOW)
