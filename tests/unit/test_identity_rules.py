"""Identity domain rules at their boundaries, each failure naming its field and rule code."""

from datetime import UTC, datetime, timedelta, tzinfo

import pytest

from domain.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    InvalidValue,
    NotAllowed,
    NotFound,
    OutOfStock,
    TooManyAttempts,
)
from domain.identity.activation import CODE_LIFETIME, MAX_ATTEMPTS, ActivationCode, invalid_code
from domain.identity.contact import Email, NationalId, Phone, login_key, person_name
from domain.identity.passwords import MAX_LENGTH, MIN_LENGTH, POLICY_DESCRIPTION, PasswordPolicy
from domain.identity.roles import Role, UserId
from domain.identity.users import User
from tests.unit.factories import ActivationCodeFactory, RefreshTokenFactory, UserFactory, new_id

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
POLICY = PasswordPolicy(frozenset({"qwertyuiop", "password1234"}))
TICK = timedelta(microseconds=1)


def _rule(call, *args, **kwargs) -> tuple[str | None, str | None]:
    with pytest.raises(InvalidValue) as raised:
        call(*args, **kwargs)
    return raised.value.field, raised.value.rule


# --- errors: the codes reach clients in problem documents -------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (DomainError("x"), "domain_error"),
        (InvalidValue("x"), "invalid_value"),
        (NotFound("x"), "not_found"),
        (Conflict("x"), "conflict"),
        (NotAllowed("x"), "not_allowed"),
        (AuthenticationFailed("x"), "authentication_failed"),
        (TooManyAttempts("x", retry_after_seconds=7), "too_many_attempts"),
        (OutOfStock("x"), "out_of_stock"),
    ],
)
def test_every_error_carries_its_stable_code(error, code):
    assert error.code == code
    assert error.message == "x"
    assert str(error) == "x"


def test_errors_carry_the_field_and_rule_a_client_must_fix():
    error = InvalidValue("bad", field="email", rule="email_format")
    assert (error.field, error.rule) == ("email", "email_format")
    assert InvalidValue("bad").rule is None
    assert NotFound("gone", field="user").field == "user"
    assert TooManyAttempts("slow down", retry_after_seconds=30).retry_after_seconds == 30
    assert isinstance(OutOfStock("none left"), Conflict)


# --- passwords --------------------------------------------------------------------------------------------------------


def test_the_password_limits_are_10_and_128_characters():
    assert (MIN_LENGTH, MAX_LENGTH) == (10, 128)
    assert "10 to 128 characters" in POLICY_DESCRIPTION


def test_a_128_character_password_is_accepted_and_129_is_too_long():
    POLICY.check("k" * 127 + "7")
    assert _rule(POLICY.check, "k" * 128 + "7") == ("password", "password_too_long")


def test_a_10_character_password_is_accepted_and_9_is_too_short():
    POLICY.check("kite-harbo")
    assert _rule(POLICY.check, "kite-harb") == ("password", "password_too_short")


def test_password_messages_state_the_limits():
    with pytest.raises(InvalidValue) as short:
        POLICY.check("short")
    with pytest.raises(InvalidValue) as long:
        POLICY.check("k" * 200)
    assert "at least 10" in short.value.message
    assert "at most 128" in long.value.message


def test_digits_with_one_letter_are_not_only_digits():
    POLICY.check("123456789012a")
    assert _rule(POLICY.check, "1234567890123") == ("password", "password_only_digits")


def test_common_passwords_are_refused_whatever_their_case():
    assert _rule(POLICY.check, "PASSWORD1234") == ("password", "password_too_common")


def test_a_password_that_is_mostly_a_personal_detail_is_too_similar():
    # "rojas" is half of a 10-character password: refused
    assert _rule(POLICY.check, "rojas-1234", personal_details=("Rojas",)) == ("password", "password_too_similar")


def test_a_name_inside_a_longer_password_is_refused_too():
    # issue 13: "less than half of the password" was the gap; a name anywhere in it is refused
    assert _rule(POLICY.check, "rojas-1234-kite-harbour", personal_details=("Rojas",)) == (
        "password",
        "password_contains_name",
    )


def test_short_parts_of_a_detail_are_ignored():
    # "an" and "ro" are parts of the email, too short to count
    POLICY.check("an-ro-violet-kite", personal_details=("an.ro@example.com",))


def test_a_password_close_to_the_email_is_too_similar_even_when_not_equal():
    assert _rule(POLICY.check, "anarojas2026", personal_details=("ana.rojas@example.com", "anarojas")) == (
        "password",
        "password_too_similar",
    )


def test_every_personal_detail_is_checked_not_only_the_first():
    assert _rule(POLICY.check, "Montenegro1", personal_details=("ana@example.com", "Montenegro")) == (
        "password",
        "password_too_similar",
    )


# --- contact details --------------------------------------------------------------------------------------------------


def test_an_email_of_254_characters_is_accepted_and_255_is_not():
    domain = "@" + "d" * 60 + "." + "e" * 60 + ".com"
    local = "a" * (254 - len(domain))
    assert Email.parse(local + domain).value == local + domain
    assert _rule(Email.parse, "a" + local + domain) == ("email", "email_format")


def test_the_local_part_is_what_precedes_the_at():
    assert Email.parse("Ana.Rojas@Example.com").local_part == "ana.rojas"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0057 300 123 4567", "+573001234567"),
        ("573001234567", "+573001234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1234567", None),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
        ("+1234567890123456", None),
        ("+0123456789", None),
        ("2001234567", None),
        ("571001234567", None),
        ("30012345678", None),
    ],
)
def test_phone_numbers_are_e164_with_the_colombian_shortcuts(raw, e164):
    if e164 is None:
        assert _rule(Phone.parse, raw) == ("phone", "phone_format")
    else:
        assert Phone.parse(raw).value == e164


@pytest.mark.parametrize(
    ("raw", "value"),
    [("ab-12.3", "AB123"), ("1 2 3 4 5", "12345"), ("A" * 20, "A" * 20), ("1234", None), ("A" * 21, None)],
)
def test_national_ids_have_5_to_20_letters_or_digits(raw, value):
    if value is None:
        assert _rule(NationalId.parse, raw) == ("national_id", "national_id_format")
    else:
        assert NationalId.parse(raw).value == value


def test_person_names_are_1_to_100_printable_characters():
    assert person_name("  Ana   María ", field="first_name") == "Ana María"
    assert person_name("a" * 100, field="first_name") == "a" * 100
    for bad in ("", "   ", "a" * 101, "Ana\u0000"):
        assert _rule(person_name, bad, field="last_name") == ("last_name", "name_length")
    with pytest.raises(InvalidValue) as raised:
        person_name("", field="first_name")
    assert "first_name" in raised.value.message


def test_a_username_with_an_at_is_an_email_and_the_errors_say_which():
    assert isinstance(login_key("ana@example.com"), Email)
    assert _rule(login_key, "ana@") == ("email", "email_format")
    assert _rule(login_key, "12") == ("phone", "phone_format")


# --- the user account -------------------------------------------------------------------------------------------------


class _NoOffset(tzinfo):
    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return None


def test_sign_up_defaults_to_an_inactive_customer_created_now():
    user = User.sign_up(
        id=UserId(new_id()),
        email=Email.parse("ana@example.com"),
        phone=Phone.parse("3001234567"),
        national_id=NationalId.parse("1020304050"),
        first_name="Ana",
        last_name="Rojas",
        password_hash="h",
        now=NOW,
    )
    assert (user.role, user.is_active, user.credentials_version) == (Role.CUSTOMER, False, 1)
    assert user.created_at == user.updated_at == NOW
    assert user.personal_details == ("ana@example.com", "ana", "Ana", "Rojas")


@pytest.mark.parametrize("moment", [datetime(2026, 1, 1), datetime(2026, 1, 1, tzinfo=_NoOffset())])  # noqa: DTZ001
def test_times_without_an_offset_are_refused(moment):
    user = UserFactory.build()
    assert _rule(user.change_password, "h2", moment) == (None, "aware_datetime")
    assert _rule(user.upgrade_password_hash, "h2", moment) == (None, "aware_datetime")
    assert _rule(user.update_profile, first_name=None, last_name=None, phone=None, now=moment) == (
        None,
        "aware_datetime",
    )


def test_a_credentials_change_moves_the_version_by_one_and_stamps_the_time():
    user = UserFactory.build(is_active=False)
    user.activate(LATER)
    assert (user.credentials_version, user.updated_at, user.is_active) == (2, LATER, True)
    user.change_password("h2", LATER + TICK)
    assert (user.credentials_version, user.updated_at, user.password_hash) == (3, LATER + TICK, "h2")
    user.change_role(Role.SUPPORT, LATER + 2 * TICK)
    assert (user.credentials_version, user.role) == (4, Role.SUPPORT)
    user.deactivate(LATER + 3 * TICK)
    assert (user.credentials_version, user.updated_at, user.is_active) == (5, LATER + 3 * TICK, False)


def test_a_change_to_what_already_is_keeps_the_version_and_the_time():
    user = UserFactory.build(is_active=True, role=Role.CUSTOMER)
    user.activate(LATER)
    user.change_role(Role.CUSTOMER, LATER)
    assert (user.credentials_version, user.updated_at) == (1, user.created_at)
    inactive = UserFactory.build(is_active=False)
    inactive.deactivate(LATER)
    assert (inactive.credentials_version, inactive.updated_at) == (1, inactive.created_at)


def test_a_hash_upgrade_keeps_sessions_but_records_the_new_hash():
    user = UserFactory.build()
    user.upgrade_password_hash("stronger", LATER)
    assert (user.password_hash, user.updated_at, user.credentials_version) == ("stronger", LATER, 1)


def test_a_profile_update_changes_only_the_fields_given():
    user = UserFactory.build(first_name="Ana", last_name="Rojas")
    phone = user.phone
    user.update_profile(first_name=None, last_name="Díaz", phone=None, now=LATER)
    assert (user.first_name, user.last_name, user.phone, user.updated_at) == ("Ana", "Díaz", phone, LATER)
    user.update_profile(first_name="Eva", last_name=None, phone=Phone.parse("3009998877"), now=LATER)
    assert (user.first_name, user.last_name, user.phone.value) == ("Eva", "Díaz", "+573009998877")
    assert user.credentials_version == 1


def test_only_admins_and_support_are_platform_staff():
    assert {role for role in Role if role.is_staff} == {Role.ADMIN, Role.SUPPORT}


# --- activation codes and refresh tokens ------------------------------------------------------------------------------


def test_a_code_lives_15_minutes_and_dies_at_that_exact_instant():
    code = ActivationCode.issue(UserId(new_id()), "digest", NOW)
    assert (code.expires_at, code.attempts_left) == (NOW + CODE_LIFETIME, MAX_ATTEMPTS)
    assert timedelta(minutes=15) == CODE_LIFETIME
    assert code.is_usable(code.expires_at - TICK)
    assert not code.is_usable(code.expires_at)


def test_the_last_attempt_is_still_usable_and_attempts_never_go_negative():
    code = ActivationCodeFactory.build(attempts_left=1, expires_at=LATER)
    assert code.is_usable(NOW)
    code.record_wrong_attempt()
    assert (code.attempts_left, code.is_usable(NOW)) == (0, False)
    code.record_wrong_attempt()
    assert code.attempts_left == 0


def test_every_bad_code_gets_the_same_answer():
    error = invalid_code()
    assert (error.field, error.rule) == ("code", "activation_code")


def test_a_refresh_token_that_expires_at_this_exact_instant_is_expired():
    token = RefreshTokenFactory.build(expires_at=NOW)
    assert token.is_expired(NOW)
    assert not token.is_expired(NOW - TICK)


def test_a_refresh_token_is_used_once_spent_or_revoked():
    assert not RefreshTokenFactory.build().was_used
    assert RefreshTokenFactory.build(spent_at=NOW).was_used
    assert RefreshTokenFactory.build(revoked_at=NOW).was_used


def test_a_password_that_differs_from_a_detail_by_one_character_is_too_similar():
    # no detail is a substring of it: only the similarity ratio catches it
    assert _rule(POLICY.check, "montenegr0!", personal_details=("Montenegro",)) == ("password", "password_too_similar")


def test_a_detail_of_a_third_of_the_password_is_refused_when_it_is_a_name():
    assert _rule(POLICY.check, "rojas-1234-kite", personal_details=("Rojas",)) == (
        "password",
        "password_contains_name",
    )


def test_a_one_letter_name_is_a_name():
    assert person_name("A", field="first_name") == "A"
